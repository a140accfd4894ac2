CREATE TABLE `circle_links` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`patient_id` text NOT NULL,
	`episode_id` text NOT NULL,
	`supporter_id` text,
	`invited_name` text NOT NULL,
	`invited_email` text NOT NULL,
	`relationship` text NOT NULL,
	`status` text DEFAULT 'invited' NOT NULL,
	`invitation_token_hash` text,
	`invitation_expires_at` integer,
	`invited_at` integer NOT NULL,
	`accepted_at` integer,
	`decided_at` integer,
	`decided_by` text,
	`refusal_reason` text,
	`safety_concern` integer DEFAULT false NOT NULL,
	`safety_note` text,
	`ended_at` integer,
	`ended_by` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`patient_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`episode_id`) REFERENCES `episodes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`supporter_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ended_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `circle_links_invitation_token_unique` ON `circle_links` (`invitation_token_hash`);--> statement-breakpoint
CREATE INDEX `circle_links_patient_idx` ON `circle_links` (`patient_id`,`status`);--> statement-breakpoint
CREATE INDEX `circle_links_supporter_idx` ON `circle_links` (`supporter_id`,`status`);--> statement-breakpoint
CREATE INDEX `circle_links_program_status_idx` ON `circle_links` (`program_id`,`status`);--> statement-breakpoint
CREATE INDEX `circle_links_patient_email_idx` ON `circle_links` (`patient_id`,`invited_email`);--> statement-breakpoint
CREATE TABLE `consents` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`link_id` text NOT NULL,
	`patient_id` text NOT NULL,
	`version` integer NOT NULL,
	`patient_name` text NOT NULL,
	`disclosing_program` text NOT NULL,
	`categories` text NOT NULL,
	`recipient_name` text NOT NULL,
	`recipient_email` text NOT NULL,
	`recipient_relationship` text NOT NULL,
	`purpose` text NOT NULL,
	`revocation_statement` text NOT NULL,
	`expiry_kind` text NOT NULL,
	`expires_on` text,
	`episode_id` text NOT NULL,
	`signature` text NOT NULL,
	`signed_at` integer NOT NULL,
	`text` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`ended_at` integer,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`link_id`) REFERENCES `circle_links`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`patient_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`episode_id`) REFERENCES `episodes`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "consents_elements_present" CHECK(length(trim("consents"."patient_name")) > 0 AND length(trim("consents"."disclosing_program")) > 0
        AND json_array_length("consents"."categories") > 0 AND length(trim("consents"."recipient_name")) > 0
        AND length(trim("consents"."recipient_email")) > 0 AND length(trim("consents"."purpose")) > 0
        AND length(trim("consents"."revocation_statement")) > 0 AND length(trim("consents"."signature")) > 0
        AND length(trim("consents"."text")) > 0
        AND ("consents"."expiry_kind" = 'episode_end' OR "consents"."expires_on" IS NOT NULL))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `consents_link_version_unique` ON `consents` (`link_id`,`version`);--> statement-breakpoint
CREATE INDEX `consents_link_status_idx` ON `consents` (`link_id`,`status`);--> statement-breakpoint
CREATE INDEX `consents_patient_idx` ON `consents` (`patient_id`,`signed_at`);--> statement-breakpoint
CREATE TABLE `disclosure_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`program_id` text NOT NULL,
	`patient_id` text NOT NULL,
	`link_id` text NOT NULL,
	`consent_id` text NOT NULL,
	`kind` text NOT NULL,
	`category` text,
	`item_type` text,
	`item_id` text,
	`detail` text,
	`actor_user_id` text,
	`occurred_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`patient_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`link_id`) REFERENCES `circle_links`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`consent_id`) REFERENCES `consents`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`actor_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `disclosure_log_patient_idx` ON `disclosure_log` (`patient_id`,`occurred_at`,`id`);