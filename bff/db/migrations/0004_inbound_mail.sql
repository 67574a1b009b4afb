CREATE TABLE `inbound_mail` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`message_key` text NOT NULL,
	`message_id` text,
	`client_id` text,
	`mail_from` text NOT NULL,
	`subject` text NOT NULL,
	`received_at` integer NOT NULL,
	`state` text NOT NULL,
	`parser` text,
	`reason` text,
	`jobs` text DEFAULT '[]' NOT NULL,
	`raw` blob,
	`size_bytes` integer NOT NULL,
	`duplicate_of` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inbound_mail_message` ON `inbound_mail` (`tenant_id`,`message_key`) WHERE state <> 'duplicate';--> statement-breakpoint
CREATE INDEX `inbound_mail_state` ON `inbound_mail` (`tenant_id`,`state`,`received_at`,`id`);--> statement-breakpoint
CREATE INDEX `inbound_mail_tenant_received` ON `inbound_mail` (`tenant_id`,`received_at`,`id`);--> statement-breakpoint
CREATE INDEX `inbound_mail_received` ON `inbound_mail` (`received_at`);
