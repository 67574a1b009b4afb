-- Offline episodes (docs/schedules.md) as history: written when the sign of life that ends one is
-- folded, read by the period report, which counts them pending as the snapshot did.
CREATE TABLE `offline_episodes` (
	`tenant_id` text NOT NULL,
	`device_id` text NOT NULL,
	`from_at` integer NOT NULL,
	`to_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `device_id`, `from_at`)
);
