CREATE TABLE `evaluation_queue` (
	`tenant_id` text NOT NULL,
	`device_id` text NOT NULL,
	`marked_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `device_id`)
);
--> statement-breakpoint
CREATE INDEX `evaluation_queue_marked` ON `evaluation_queue` (`marked_at`);
