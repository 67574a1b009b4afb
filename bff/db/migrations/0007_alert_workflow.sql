ALTER TABLE `alerts` ADD `acknowledged_by` text;
--> statement-breakpoint
ALTER TABLE `alerts` ADD `acknowledgement_note` text;
--> statement-breakpoint
ALTER TABLE `alerts` ADD `remind_from` integer;
--> statement-breakpoint
ALTER TABLE `alerts` ADD `last_reminder_at` integer;
--> statement-breakpoint
ALTER TABLE `alert_events` ADD `actor` text;
--> statement-breakpoint
ALTER TABLE `tickets` ADD `device_id` text;
--> statement-breakpoint
ALTER TABLE `tickets` ADD `alert_type` text;
--> statement-breakpoint
ALTER TABLE `tickets` ADD `ticket_ref` text;
--> statement-breakpoint
ALTER TABLE `tickets` ADD `last_failure_noted_at` integer;
--> statement-breakpoint
UPDATE `tickets` SET `device_id` = (SELECT a.device_id FROM alerts a WHERE a.id = tickets.alert_id),
  `alert_type` = (SELECT a.type FROM alerts a WHERE a.id = tickets.alert_id);
--> statement-breakpoint
CREATE INDEX `tickets_device_type` ON `tickets` (`tenant_id`,`device_id`,`alert_type`,`requested_at`);
--> statement-breakpoint
UPDATE `alerts` SET `acknowledgement_note` = (SELECT e.note FROM alert_events e WHERE e.alert_id = alerts.id AND e.action = 'acknowledged' ORDER BY e.id DESC LIMIT 1)
  WHERE `state` = 'acknowledged';
--> statement-breakpoint
UPDATE `alerts` SET `remind_from` = COALESCE((SELECT MAX(e.at) FROM alert_events e WHERE e.alert_id = alerts.id AND e.action IN ('opened', 'escalated')), `updated_at`)
  WHERE `state` = 'open';
