-- A person (e-mail, password, sessions) holds memberships (program, role). Every existing user
-- becomes one person and one membership, both keeping the user's id, so every row that names a
-- user (episodes, links, check-ins, audit) now names that membership unchanged. Runs with foreign
-- keys off and checked afterwards (db/migrate.ts), as SQLite's table-rebuild procedure asks.
CREATE TABLE `people` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`password_hash` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer
);
--> statement-breakpoint
INSERT INTO `people` (`id`, `email`, `password_hash`, `created_at`, `updated_at`)
	SELECT `id`, `email`, `password_hash`, `created_at`, `updated_at` FROM `users`;
--> statement-breakpoint
CREATE UNIQUE INDEX `people_email_unique` ON `people` (`email`);
--> statement-breakpoint
-- Renaming first makes SQLite rewrite every foreign key that points at `users`.
ALTER TABLE `users` RENAME TO `memberships`;
--> statement-breakpoint
CREATE TABLE `__new_memberships` (
	`id` text PRIMARY KEY NOT NULL,
	`person_id` text NOT NULL,
	`program_id` text NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`status` text DEFAULT 'invited' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_memberships` (`id`, `person_id`, `program_id`, `name`, `role`, `status`, `created_at`, `updated_at`)
	SELECT `id`, `id`, `program_id`, `name`, `role`, `status`, `created_at`, `updated_at` FROM `memberships`;
--> statement-breakpoint
DROP TABLE `memberships`;
--> statement-breakpoint
ALTER TABLE `__new_memberships` RENAME TO `memberships`;
--> statement-breakpoint
CREATE UNIQUE INDEX `memberships_person_program_role_unique` ON `memberships` (`person_id`,`program_id`,`role`);
--> statement-breakpoint
CREATE INDEX `memberships_program_role_idx` ON `memberships` (`program_id`,`role`);
--> statement-breakpoint
-- Sessions keep going: each acts as the membership its user was. The idle deadline moves from
-- seconds to milliseconds, like every other time in the schema.
CREATE TABLE `__new_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`person_id` text NOT NULL,
	`membership_id` text,
	`expires_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`ip_address` text,
	`user_agent` text,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`membership_id`) REFERENCES `memberships`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
INSERT INTO `__new_sessions` (`id`, `person_id`, `membership_id`, `expires_at`, `created_at`, `last_seen_at`, `ip_address`, `user_agent`)
	SELECT `id`, `user_id`, `user_id`, `expires_at` * 1000, `created_at`, `last_seen_at`, `ip_address`, `user_agent` FROM `sessions`;
--> statement-breakpoint
DROP TABLE `sessions`;
--> statement-breakpoint
ALTER TABLE `__new_sessions` RENAME TO `sessions`;
--> statement-breakpoint
CREATE INDEX `sessions_person_idx` ON `sessions` (`person_id`);
--> statement-breakpoint
CREATE INDEX `sessions_membership_idx` ON `sessions` (`membership_id`);
--> statement-breakpoint
CREATE TABLE `__new_account_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`person_id` text NOT NULL,
	`purpose` text NOT NULL,
	`token_hash` text NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_account_tokens` (`id`, `person_id`, `purpose`, `token_hash`, `expires_at`, `used_at`, `created_at`)
	SELECT `id`, `user_id`, `purpose`, `token_hash`, `expires_at`, `used_at`, `created_at` FROM `account_tokens`;
--> statement-breakpoint
DROP TABLE `account_tokens`;
--> statement-breakpoint
ALTER TABLE `__new_account_tokens` RENAME TO `account_tokens`;
--> statement-breakpoint
CREATE UNIQUE INDEX `account_tokens_hash_unique` ON `account_tokens` (`token_hash`);
--> statement-breakpoint
CREATE INDEX `account_tokens_person_idx` ON `account_tokens` (`person_id`,`purpose`);
