-- What a supporter was shown becomes one row per consent version, item and day, with a count and
-- the first and last time, instead of one row per page view. Existing rows are folded the same way
-- (by UTC day: SQL here knows no program time zone); consent changes are kept one row each.
CREATE TABLE `__new_disclosure_log` (
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
	`day` text,
	`count` integer DEFAULT 1 NOT NULL,
	`last_occurred_at` integer,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`patient_id`) REFERENCES `memberships`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`link_id`) REFERENCES `circle_links`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`consent_id`) REFERENCES `consents`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`actor_user_id`) REFERENCES `memberships`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_disclosure_log`
	(`program_id`, `patient_id`, `link_id`, `consent_id`, `kind`, `category`, `item_type`, `item_id`, `detail`, `actor_user_id`, `occurred_at`, `day`, `count`, `last_occurred_at`)
SELECT `program_id`, `patient_id`, `link_id`, `consent_id`, `kind`, `category`, `item_type`, `item_id`, `detail`, `actor_user_id`, `occurred_at`, `day`, `count`, `last_occurred_at`
FROM (
	SELECT `id`, `program_id`, `patient_id`, `link_id`, `consent_id`, `kind`, `category`, `item_type`, `item_id`, `detail`, `actor_user_id`,
		`occurred_at`, NULL AS `day`, 1 AS `count`, NULL AS `last_occurred_at`
	FROM `disclosure_log` WHERE `kind` <> 'disclosure'
	UNION ALL
	SELECT min(`id`), `program_id`, `patient_id`, `link_id`, `consent_id`, 'disclosure', `category`, `item_type`, `item_id`, NULL, `actor_user_id`,
		min(`occurred_at`), date(`occurred_at` / 1000, 'unixepoch'), count(*), max(`occurred_at`)
	FROM `disclosure_log` WHERE `kind` = 'disclosure'
	GROUP BY `consent_id`, `item_type`, `item_id`, date(`occurred_at` / 1000, 'unixepoch')
)
ORDER BY `occurred_at`, `id`;
--> statement-breakpoint
DROP TABLE `disclosure_log`;
--> statement-breakpoint
ALTER TABLE `__new_disclosure_log` RENAME TO `disclosure_log`;
--> statement-breakpoint
CREATE INDEX `disclosure_log_patient_idx` ON `disclosure_log` (`patient_id`,`occurred_at`,`id`);
--> statement-breakpoint
CREATE UNIQUE INDEX `disclosure_log_item_day_unique` ON `disclosure_log` (`consent_id`,`item_type`,`item_id`,`day`) WHERE kind = 'disclosure';
--> statement-breakpoint
-- Still append-only: nothing is deleted, and a disclosure row may only count one more showing.
CREATE TRIGGER disclosure_log_no_update BEFORE UPDATE ON disclosure_log
WHEN NOT (
	OLD.kind = 'disclosure' AND NEW.count = OLD.count + 1 AND NEW.last_occurred_at >= OLD.last_occurred_at
	AND NEW.id = OLD.id AND NEW.program_id = OLD.program_id AND NEW.patient_id = OLD.patient_id
	AND NEW.link_id = OLD.link_id AND NEW.consent_id = OLD.consent_id AND NEW.kind = OLD.kind
	AND NEW.category IS OLD.category AND NEW.item_type IS OLD.item_type AND NEW.item_id IS OLD.item_id
	AND NEW.detail IS OLD.detail AND NEW.actor_user_id IS OLD.actor_user_id
	AND NEW.occurred_at = OLD.occurred_at AND NEW.day IS OLD.day
)
BEGIN
  SELECT RAISE(ABORT, 'disclosure_log is append-only: a day''s row may only count one more showing');
END;
--> statement-breakpoint
CREATE TRIGGER disclosure_log_no_delete BEFORE DELETE ON disclosure_log
BEGIN
  SELECT RAISE(ABORT, 'disclosure_log is append-only');
END;
