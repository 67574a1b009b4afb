CREATE TABLE `maintenance_windows` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`name` text NOT NULL,
	`scope` text NOT NULL,
	`timing` text NOT NULL,
	`client_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE TABLE `silences` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`matchers` text NOT NULL,
	`client_id` text,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`comment` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `silences_ends` ON `silences` (`tenant_id`,`ends_at`);
