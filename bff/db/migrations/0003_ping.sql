-- Ping URLs: a per-tenant ping key (the credential of /ping/{key}/{slug}) and a
-- per-device ping slug (unique per tenant; default: the device id lowercased).
ALTER TABLE `tenants` ADD `ping_key` text;
--> statement-breakpoint
UPDATE `tenants` SET `ping_key` = lower(hex(randomblob(16))) WHERE `ping_key` IS NULL;
--> statement-breakpoint
CREATE UNIQUE INDEX `tenants_ping_key` ON `tenants` (`ping_key`);
--> statement-breakpoint
-- Every tenant gets its key when it is created, whichever code path creates it.
CREATE TRIGGER `tenants_ping_key_insert` AFTER INSERT ON `tenants` WHEN NEW.ping_key IS NULL BEGIN
  UPDATE tenants SET ping_key = lower(hex(randomblob(16))) WHERE id = NEW.id;
END;
--> statement-breakpoint
ALTER TABLE `devices` ADD `ping_slug` text;
--> statement-breakpoint
-- Two ids that differ only in case would share the default slug: the first keeps it,
-- the other has none until a pingSlug is set for it.
UPDATE `devices` SET `ping_slug` = lower(`id`) WHERE `ping_slug` IS NULL AND NOT EXISTS (
  SELECT 1 FROM devices o WHERE o.tenant_id = devices.tenant_id AND lower(o.id) = lower(devices.id) AND o.id < devices.id);
--> statement-breakpoint
CREATE UNIQUE INDEX `devices_ping_slug` ON `devices` (`tenant_id`, `ping_slug`);
--> statement-breakpoint
-- Every enrolment path (PUT, CSV import) gives a new device its default slug when it is free.
CREATE TRIGGER `devices_ping_slug_insert` AFTER INSERT ON `devices` WHEN NEW.ping_slug IS NULL BEGIN
  UPDATE devices SET ping_slug = lower(NEW.id) WHERE tenant_id = NEW.tenant_id AND id = NEW.id
    AND NOT EXISTS (SELECT 1 FROM devices o WHERE o.tenant_id = NEW.tenant_id AND o.ping_slug = lower(NEW.id));
END;
