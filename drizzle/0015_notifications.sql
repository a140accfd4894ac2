CREATE TABLE `digests` (
	`id` text PRIMARY KEY NOT NULL,
	`person_id` text NOT NULL,
	`period` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `digests_person_period_unique` ON `digests` (`person_id`,`period`);--> statement-breakpoint
CREATE TABLE `notification_preferences` (
	`membership_id` text NOT NULL,
	`kind` text NOT NULL,
	`delivery` text NOT NULL,
	PRIMARY KEY(`membership_id`, `kind`),
	FOREIGN KEY (`membership_id`) REFERENCES `memberships`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `signing_keys` (
	`name` text PRIMARY KEY NOT NULL,
	`secret` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `events` ADD `notice` text;--> statement-breakpoint
ALTER TABLE `events` ADD `digest_id` text;--> statement-breakpoint
CREATE INDEX `events_unnoticed_idx` ON `events` (`occurred_at`) WHERE notice is null;--> statement-breakpoint
CREATE INDEX `events_digest_idx` ON `events` (`recipient_id`) WHERE notice = 'digest' and digest_id is null;--> statement-breakpoint
ALTER TABLE `outbox_messages` ADD `sender_name` text;--> statement-breakpoint
ALTER TABLE `outbox_messages` ADD `calendar` text;--> statement-breakpoint
ALTER TABLE `outbox_messages` ADD `calendar_file` text;--> statement-breakpoint
ALTER TABLE `outbox_messages` ADD `unsubscribe_url` text;--> statement-breakpoint
ALTER TABLE `outbox_messages` ADD `status` text DEFAULT 'queued' NOT NULL;--> statement-breakpoint
ALTER TABLE `outbox_messages` ADD `attempts` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `outbox_messages` ADD `next_attempt_at` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `outbox_messages` ADD `sent_at` integer;--> statement-breakpoint
CREATE INDEX `outbox_due_idx` ON `outbox_messages` (`status`,`next_attempt_at`);--> statement-breakpoint
ALTER TABLE `people` ADD `quiet_hours` text;--> statement-breakpoint
ALTER TABLE `people` ADD `time_zone` text;--> statement-breakpoint
-- Mail kept before the outbox was one went nowhere: it stays in the mailbox as sent, never goes out now.
UPDATE `outbox_messages` SET `status` = 'sent', `sent_at` = `created_at`;--> statement-breakpoint
-- Events from before notifications existed are not mailed now, days late.
UPDATE `events` SET `notice` = 'off';
