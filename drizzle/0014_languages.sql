DROP INDEX `module_versions_module_version_unique`;--> statement-breakpoint
ALTER TABLE `module_versions` ADD `language` text DEFAULT 'en' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `module_versions_module_language_version_unique` ON `module_versions` (`module_id`,`language`,`version`);--> statement-breakpoint
ALTER TABLE `consents` ADD `language` text DEFAULT 'en' NOT NULL;--> statement-breakpoint
ALTER TABLE `people` ADD `language` text;