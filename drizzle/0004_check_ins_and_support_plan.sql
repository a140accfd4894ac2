CREATE TABLE `check_in_audience` (
	`check_in_id` text NOT NULL,
	`link_id` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`check_in_id`) REFERENCES `check_ins`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`link_id`) REFERENCES `circle_links`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `check_in_audience_unique` ON `check_in_audience` (`check_in_id`,`link_id`);--> statement-breakpoint
CREATE INDEX `check_in_audience_link_idx` ON `check_in_audience` (`link_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `check_in_replies` (
	`id` text PRIMARY KEY NOT NULL,
	`check_in_id` text NOT NULL,
	`link_id` text NOT NULL,
	`supporter_id` text NOT NULL,
	`preset` text,
	`message` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`check_in_id`) REFERENCES `check_ins`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`link_id`) REFERENCES `circle_links`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`supporter_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "check_in_replies_content" CHECK("check_in_replies"."preset" IS NOT NULL OR length(trim("check_in_replies"."message")) > 0)
);
--> statement-breakpoint
CREATE INDEX `check_in_replies_check_in_idx` ON `check_in_replies` (`check_in_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `check_ins` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`patient_id` text NOT NULL,
	`kind` text DEFAULT 'check_in' NOT NULL,
	`mood` integer,
	`craving` integer,
	`wins` text,
	`hard` text,
	`help_request` text,
	`shared_with_care_team` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`patient_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "check_ins_mood_range" CHECK("check_ins"."mood" IS NULL OR "check_ins"."mood" BETWEEN 1 AND 5),
	CONSTRAINT "check_ins_craving_range" CHECK("check_ins"."craving" IS NULL OR "check_ins"."craving" BETWEEN 0 AND 10)
);
--> statement-breakpoint
CREATE INDEX `check_ins_patient_idx` ON `check_ins` (`patient_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `check_ins_care_team_idx` ON `check_ins` (`program_id`,`shared_with_care_team`,`created_at`);--> statement-breakpoint
CREATE TABLE `recovery_starts` (
	`patient_id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`start_date` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`patient_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `support_plan_asks` (
	`item_id` text NOT NULL,
	`link_id` text NOT NULL,
	`status` text DEFAULT 'asked' NOT NULL,
	`asked_at` integer NOT NULL,
	`responded_at` integer,
	FOREIGN KEY (`item_id`) REFERENCES `support_plan_items`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`link_id`) REFERENCES `circle_links`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `support_plan_asks_unique` ON `support_plan_asks` (`item_id`,`link_id`);--> statement-breakpoint
CREATE INDEX `support_plan_asks_link_idx` ON `support_plan_asks` (`link_id`,`status`);--> statement-breakpoint
CREATE TABLE `support_plan_items` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`patient_id` text NOT NULL,
	`need` text NOT NULL,
	`details` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`patient_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `support_plan_items_patient_idx` ON `support_plan_items` (`patient_id`,`created_at`);