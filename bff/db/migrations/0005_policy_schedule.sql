ALTER TABLE `policies` ADD `schedule` text;
--> statement-breakpoint
UPDATE `policies` SET `schedule` = json_object('schedule', json_object('kind', 'interval', 'hours', `interval_hours`));
