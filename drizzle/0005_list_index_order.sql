DROP INDEX `check_in_audience_link_idx`;--> statement-breakpoint
CREATE INDEX `check_in_audience_link_idx` ON `check_in_audience` (`link_id`,`created_at`,`check_in_id`);--> statement-breakpoint
DROP INDEX `check_ins_care_team_idx`;--> statement-breakpoint
CREATE INDEX `check_ins_care_team_idx` ON `check_ins` (`program_id`,`shared_with_care_team`,`created_at`,`id`);