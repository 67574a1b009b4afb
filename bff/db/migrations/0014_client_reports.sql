-- Monthly client reports: one row per client and reported month is the claim that makes
-- the send happen once across instances and restarts (like weekly_reports).
CREATE TABLE `client_reports` (
	`tenant_id` text NOT NULL,
	`client_id` text NOT NULL,
	`month_key` text NOT NULL,
	`slot_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `client_id`, `month_key`)
);
