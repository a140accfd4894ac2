CREATE TABLE `attendance` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`group_id` text NOT NULL,
	`patient_id` text NOT NULL,
	`session_date` text NOT NULL,
	`status` text NOT NULL,
	`recorded_by` text NOT NULL,
	`recorded_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`group_id`) REFERENCES `schedule_groups`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`patient_id`) REFERENCES `memberships`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recorded_by`) REFERENCES `memberships`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `attendance_session_patient_unique` ON `attendance` (`group_id`,`session_date`,`patient_id`);--> statement-breakpoint
CREATE INDEX `attendance_patient_idx` ON `attendance` (`patient_id`,`session_date`);--> statement-breakpoint
CREATE TABLE `calendar_feeds` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`membership_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`membership_id`) REFERENCES `memberships`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `calendar_feeds_token_unique` ON `calendar_feeds` (`token_hash`);--> statement-breakpoint
CREATE INDEX `calendar_feeds_membership_idx` ON `calendar_feeds` (`membership_id`,`revoked_at`);--> statement-breakpoint
CREATE TABLE `family_session_invitees` (
	`session_id` text NOT NULL,
	`link_id` text NOT NULL,
	`response` text DEFAULT 'invited' NOT NULL,
	`responded_at` integer,
	FOREIGN KEY (`session_id`) REFERENCES `family_sessions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`link_id`) REFERENCES `circle_links`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `family_session_invitees_unique` ON `family_session_invitees` (`session_id`,`link_id`);--> statement-breakpoint
CREATE INDEX `family_session_invitees_link_idx` ON `family_session_invitees` (`link_id`);--> statement-breakpoint
CREATE TABLE `family_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`patient_id` text NOT NULL,
	`episode_id` text NOT NULL,
	`proposed_by` text NOT NULL,
	`starts_at` integer NOT NULL,
	`duration_minutes` integer NOT NULL,
	`location` text,
	`video_url` text,
	`status` text DEFAULT 'scheduled' NOT NULL,
	`sequence` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`patient_id`) REFERENCES `memberships`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`episode_id`) REFERENCES `episodes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`proposed_by`) REFERENCES `memberships`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "family_sessions_valid" CHECK("family_sessions"."duration_minutes" BETWEEN 15 AND 480
        AND (length(trim("family_sessions"."location")) > 0 OR "family_sessions"."video_url" LIKE 'https://%'))
);
--> statement-breakpoint
CREATE INDEX `family_sessions_patient_idx` ON `family_sessions` (`patient_id`,`starts_at`);--> statement-breakpoint
CREATE INDEX `family_sessions_program_idx` ON `family_sessions` (`program_id`,`starts_at`);--> statement-breakpoint
CREATE TABLE `group_enrolments` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`group_id` text NOT NULL,
	`patient_id` text NOT NULL,
	`enrolled_on` text NOT NULL,
	`ended_on` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`group_id`) REFERENCES `schedule_groups`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`patient_id`) REFERENCES `memberships`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `group_enrolments_open_unique` ON `group_enrolments` (`group_id`,`patient_id`) WHERE ended_on IS NULL;--> statement-breakpoint
CREATE INDEX `group_enrolments_patient_idx` ON `group_enrolments` (`patient_id`,`ended_on`);--> statement-breakpoint
CREATE TABLE `hidden_modules` (
	`program_id` text NOT NULL,
	`module_id` text NOT NULL,
	`hidden_by` text NOT NULL,
	`hidden_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`module_id`) REFERENCES `education_modules`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`hidden_by`) REFERENCES `memberships`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `hidden_modules_unique` ON `hidden_modules` (`program_id`,`module_id`);--> statement-breakpoint
CREATE TABLE `schedule_groups` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`name` text NOT NULL,
	`weekday` integer NOT NULL,
	`start_time` text NOT NULL,
	`duration_minutes` integer NOT NULL,
	`location` text,
	`video_url` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`ended_at` integer,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `memberships`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "schedule_groups_valid" CHECK("schedule_groups"."weekday" BETWEEN 1 AND 7 AND "schedule_groups"."duration_minutes" BETWEEN 15 AND 480
        AND "schedule_groups"."start_time" GLOB '[0-2][0-9]:[0-5][0-9]'
        AND (length(trim("schedule_groups"."location")) > 0 OR "schedule_groups"."video_url" LIKE 'https://%'))
);
--> statement-breakpoint
CREATE INDEX `schedule_groups_program_idx` ON `schedule_groups` (`program_id`,`weekday`,`start_time`);--> statement-breakpoint
ALTER TABLE `episodes` ADD `kind` text DEFAULT 'iop' NOT NULL;--> statement-breakpoint
ALTER TABLE `episodes` ADD `end_reason` text;--> statement-breakpoint
ALTER TABLE `episodes` ADD `ended_by` text REFERENCES memberships(id);--> statement-breakpoint
CREATE UNIQUE INDEX `episodes_one_open_per_patient` ON `episodes` (`patient_id`) WHERE ended_at IS NULL;