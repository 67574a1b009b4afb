CREATE TABLE `discovered_devices` (
	`tenant_id` text NOT NULL,
	`slug` text NOT NULL,
	`source` text NOT NULL,
	`state` text NOT NULL,
	`first_seen_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`pings` integer NOT NULL,
	`held` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `slug`)
);
