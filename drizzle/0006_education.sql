CREATE TABLE `education_modules` (
	`id` text PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`program_id` text,
	`position` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `education_modules_slug_unique` ON `education_modules` (`slug`);--> statement-breakpoint
CREATE TABLE `learning_records` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`module_id` text NOT NULL,
	`version_id` text NOT NULL,
	`started_at` integer NOT NULL,
	`completed_at` integer,
	`practice_done_at` integer,
	`reflection` text,
	`reflection_shared` integer DEFAULT false NOT NULL,
	`reflection_updated_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`module_id`) REFERENCES `education_modules`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`version_id`) REFERENCES `module_versions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `learning_records_user_version_unique` ON `learning_records` (`user_id`,`version_id`);--> statement-breakpoint
CREATE INDEX `learning_records_user_module_idx` ON `learning_records` (`user_id`,`module_id`);--> statement-breakpoint
CREATE TABLE `learning_section_reads` (
	`record_id` text NOT NULL,
	`section` integer NOT NULL,
	`read_at` integer NOT NULL,
	FOREIGN KEY (`record_id`) REFERENCES `learning_records`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `learning_section_reads_unique` ON `learning_section_reads` (`record_id`,`section`);--> statement-breakpoint
CREATE TABLE `module_assignments` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`module_id` text NOT NULL,
	`link_id` text NOT NULL,
	`assigned_by` text NOT NULL,
	`assigned_by_role` text NOT NULL,
	`due_on` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`module_id`) REFERENCES `education_modules`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`link_id`) REFERENCES `circle_links`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assigned_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `module_assignments_link_module_unique` ON `module_assignments` (`link_id`,`module_id`);--> statement-breakpoint
CREATE INDEX `module_assignments_program_due_idx` ON `module_assignments` (`program_id`,`due_on`);--> statement-breakpoint
CREATE TABLE `module_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`module_id` text NOT NULL,
	`version` integer NOT NULL,
	`title` text NOT NULL,
	`summary` text NOT NULL,
	`reading_minutes` integer NOT NULL,
	`reflection_prompt` text NOT NULL,
	`practice` text NOT NULL,
	`sections` text NOT NULL,
	`quiz` text NOT NULL,
	`content_hash` text NOT NULL,
	`published_at` integer NOT NULL,
	FOREIGN KEY (`module_id`) REFERENCES `education_modules`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `module_versions_module_version_unique` ON `module_versions` (`module_id`,`version`);--> statement-breakpoint
CREATE TABLE `quiz_attempts` (
	`id` text PRIMARY KEY NOT NULL,
	`record_id` text NOT NULL,
	`answers` text NOT NULL,
	`correct` integer NOT NULL,
	`total` integer NOT NULL,
	`score_percent` integer NOT NULL,
	`passed` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`record_id`) REFERENCES `learning_records`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `quiz_attempts_record_idx` ON `quiz_attempts` (`record_id`,`created_at`);