ALTER TABLE `tenants` ADD `previous_token_secret` text;--> statement-breakpoint
ALTER TABLE `tenants` ADD `credentials_revision` integer DEFAULT 0 NOT NULL;
