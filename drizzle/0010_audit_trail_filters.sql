DROP INDEX `audit_events_program_idx`;--> statement-breakpoint
CREATE INDEX `audit_events_program_idx` ON `audit_events` (`program_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `audit_events_actor_idx` ON `audit_events` (`program_id`,`actor_user_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `audit_events_action_idx` ON `audit_events` (`program_id`,`action`,`created_at`,`id`);
