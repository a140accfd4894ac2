CREATE TABLE `events` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`recipient_id` text NOT NULL,
	`kind` text NOT NULL,
	`patient_id` text NOT NULL,
	`link_id` text,
	`subject_id` text,
	`occurred_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recipient_id`) REFERENCES `memberships`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`patient_id`) REFERENCES `memberships`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`link_id`) REFERENCES `circle_links`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `events_recipient_idx` ON `events` (`recipient_id`,`occurred_at`,`id`);--> statement-breakpoint
CREATE INDEX `events_subject_idx` ON `events` (`subject_id`,`kind`);--> statement-breakpoint
CREATE TABLE `events_seen` (
	`membership_id` text PRIMARY KEY NOT NULL,
	`seen_until` integer NOT NULL,
	FOREIGN KEY (`membership_id`) REFERENCES `memberships`(`id`) ON UPDATE no action ON DELETE no action
);
