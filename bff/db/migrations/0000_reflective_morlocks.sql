CREATE TABLE `alert_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`alert_id` text NOT NULL,
	`tenant_id` text NOT NULL,
	`action` text NOT NULL,
	`severity` text NOT NULL,
	`at` integer NOT NULL,
	`note` text
);
--> statement-breakpoint
CREATE INDEX `alert_events_alert` ON `alert_events` (`alert_id`,`id`);--> statement-breakpoint
CREATE TABLE `alerts` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`device_id` text NOT NULL,
	`client_id` text NOT NULL,
	`type` text NOT NULL,
	`severity` text NOT NULL,
	`state` text NOT NULL,
	`triggered_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`acknowledged_at` integer,
	`resolved_at` integer,
	`reason` text NOT NULL,
	`recommended_action` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alerts_one_active` ON `alerts` (`tenant_id`,`device_id`,`type`) WHERE state <> 'resolved';--> statement-breakpoint
CREATE INDEX `alerts_tenant_updated` ON `alerts` (`tenant_id`,`updated_at`);--> statement-breakpoint
CREATE INDEX `alerts_tenant_state` ON `alerts` (`tenant_id`,`state`,`triggered_at`);--> statement-breakpoint
CREATE INDEX `alerts_device` ON `alerts` (`tenant_id`,`device_id`,`state`);--> statement-breakpoint
CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`key_hash` text NOT NULL,
	`scopes` text NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_hash` ON `api_keys` (`key_hash`);--> statement-breakpoint
CREATE INDEX `api_keys_tenant` ON `api_keys` (`tenant_id`);--> statement-breakpoint
CREATE TABLE `changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` text NOT NULL,
	`client_id` text,
	`event` text NOT NULL,
	`payload` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `clients` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`name` text NOT NULL,
	`timezone` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `clients_name` ON `clients` (`tenant_id`,`name`);--> statement-breakpoint
CREATE TABLE `consent_events` (
	`tenant_id` text NOT NULL,
	`device_id` text NOT NULL,
	`at` integer NOT NULL,
	`state` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `device_id`, `at`)
);
--> statement-breakpoint
CREATE TABLE `devices` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`client_id` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`policy_id` text NOT NULL,
	`quota_bytes` integer,
	`enrolled_at` integer NOT NULL,
	`retired_at` integer,
	`updated_at` integer NOT NULL,
	`state` text NOT NULL,
	`status` text DEFAULT 'unknown' NOT NULL,
	`score` integer DEFAULT 0 NOT NULL,
	`last_success_at` integer,
	`last_job_status` text,
	`consecutive_failures` integer DEFAULT 0 NOT NULL,
	`used_bytes` integer,
	`effective_quota_bytes` integer,
	`health` text,
	`sla_state` text DEFAULT 'pending' NOT NULL,
	`sla_breach_since` integer,
	`evaluated_at` integer DEFAULT 0 NOT NULL,
	`next_check_at` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `devices_score` ON `devices` (`tenant_id`,`score`,`id`);--> statement-breakpoint
CREATE INDEX `devices_client_score` ON `devices` (`tenant_id`,`client_id`,`score`,`id`);--> statement-breakpoint
CREATE INDEX `devices_name` ON `devices` (`tenant_id`,`name`,`id`);--> statement-breakpoint
CREATE INDEX `devices_status` ON `devices` (`tenant_id`,`status`,`score`,`id`);--> statement-breakpoint
CREATE INDEX `devices_last_success` ON `devices` (`tenant_id`,`last_success_at`,`id`);--> statement-breakpoint
CREATE INDEX `devices_next_check` ON `devices` (`next_check_at`);--> statement-breakpoint
CREATE TABLE `dr_tests` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`device_id` text NOT NULL,
	`at` integer NOT NULL,
	`result` text NOT NULL,
	`message` text,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `dr_tests_device` ON `dr_tests` (`tenant_id`,`device_id`,`at`);--> statement-breakpoint
CREATE TABLE `jobs` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`device_id` text NOT NULL,
	`status` text NOT NULL,
	`started_at` integer NOT NULL,
	`ended_at` integer,
	`bytes` integer,
	`message` text,
	`log_url` text,
	`received_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `jobs_device_started` ON `jobs` (`tenant_id`,`device_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `jobs_ended` ON `jobs` (`tenant_id`,`ended_at`);--> statement-breakpoint
CREATE TABLE `leases` (
	`name` text PRIMARY KEY NOT NULL,
	`holder` text NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`channel` text NOT NULL,
	`kind` text NOT NULL,
	`dedup_key` text NOT NULL,
	`payload` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`claimed_by` text,
	`claimed_until` integer,
	`last_error` text,
	`created_at` integer NOT NULL,
	`delivered_at` integer,
	`response` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_dedup` ON `outbox` (`tenant_id`,`channel`,`dedup_key`);--> statement-breakpoint
CREATE INDEX `outbox_due` ON `outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outbox_tenant_channel` ON `outbox` (`tenant_id`,`channel`,`status`);--> statement-breakpoint
CREATE TABLE `pages` (
	`tenant_id` text NOT NULL,
	`dedup_key` text NOT NULL,
	`device_id` text NOT NULL,
	`triggered_at` integer NOT NULL,
	`resolved_at` integer,
	PRIMARY KEY(`tenant_id`, `dedup_key`)
);
--> statement-breakpoint
CREATE INDEX `pages_device` ON `pages` (`tenant_id`,`device_id`,`resolved_at`);--> statement-breakpoint
CREATE TABLE `policies` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`name` text NOT NULL,
	`interval_hours` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE TABLE `settings` (
	`tenant_id` text NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `key`)
);
--> statement-breakpoint
CREATE TABLE `storage_reports` (
	`tenant_id` text NOT NULL,
	`device_id` text NOT NULL,
	`at` integer NOT NULL,
	`used_bytes` integer NOT NULL,
	`quota_bytes` integer,
	PRIMARY KEY(`tenant_id`, `device_id`, `at`)
);
--> statement-breakpoint
CREATE INDEX `storage_reports_at` ON `storage_reports` (`tenant_id`,`at`);--> statement-breakpoint
CREATE TABLE `tenants` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`timezone` text DEFAULT 'UTC' NOT NULL,
	`token_secret` text NOT NULL,
	`psa_key_hash` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tenants_psa_key_hash` ON `tenants` (`psa_key_hash`);--> statement-breakpoint
CREATE TABLE `tickets` (
	`tenant_id` text NOT NULL,
	`alert_id` text NOT NULL,
	`external_id` text,
	`ticket_type` text NOT NULL,
	`priority` text NOT NULL,
	`requested_at` integer NOT NULL,
	`resolved_at` integer,
	PRIMARY KEY(`tenant_id`, `alert_id`)
);
--> statement-breakpoint
CREATE TABLE `weekly_reports` (
	`tenant_id` text NOT NULL,
	`week_key` text NOT NULL,
	`slot_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `week_key`)
);
