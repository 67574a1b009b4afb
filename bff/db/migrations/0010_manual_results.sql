ALTER TABLE `jobs` ADD `recorded_by` text;
--> statement-breakpoint
ALTER TABLE `jobs` ADD `note` text;
--> statement-breakpoint
ALTER TABLE `devices` ADD `retired_reason` text;
