-- Every sort GET /devices offers walks an index in order and stops at the page's LIMIT
-- (docs/limits.md). Sorting by client or policy name needs the name on the device row:
-- client_sort / policy_sort, kept by triggers (COALESCE(name, id) as the list shows it).
ALTER TABLE `devices` ADD `client_sort` text;
--> statement-breakpoint
ALTER TABLE `devices` ADD `policy_sort` text;
--> statement-breakpoint
UPDATE `devices` SET
  `client_sort` = COALESCE((SELECT c.name FROM clients c WHERE c.tenant_id = devices.tenant_id AND c.id = devices.client_id), `client_id`),
  `policy_sort` = COALESCE((SELECT p.name FROM policies p WHERE p.tenant_id = devices.tenant_id AND p.id = devices.policy_id), `policy_id`);
--> statement-breakpoint
CREATE TRIGGER `devices_sort_names_insert` AFTER INSERT ON `devices` BEGIN
  UPDATE devices SET
    client_sort = COALESCE((SELECT c.name FROM clients c WHERE c.tenant_id = NEW.tenant_id AND c.id = NEW.client_id), NEW.client_id),
    policy_sort = COALESCE((SELECT p.name FROM policies p WHERE p.tenant_id = NEW.tenant_id AND p.id = NEW.policy_id), NEW.policy_id)
  WHERE tenant_id = NEW.tenant_id AND id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER `devices_sort_names_update` AFTER UPDATE OF client_id, policy_id ON `devices`
WHEN OLD.client_id IS NOT NEW.client_id OR OLD.policy_id IS NOT NEW.policy_id
BEGIN
  UPDATE devices SET
    client_sort = COALESCE((SELECT c.name FROM clients c WHERE c.tenant_id = NEW.tenant_id AND c.id = NEW.client_id), NEW.client_id),
    policy_sort = COALESCE((SELECT p.name FROM policies p WHERE p.tenant_id = NEW.tenant_id AND p.id = NEW.policy_id), NEW.policy_id)
  WHERE tenant_id = NEW.tenant_id AND id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER `clients_sort_name_insert` AFTER INSERT ON `clients` BEGIN
  UPDATE devices SET client_sort = NEW.name WHERE tenant_id = NEW.tenant_id AND client_id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER `clients_sort_name_update` AFTER UPDATE OF name ON `clients` WHEN OLD.name IS NOT NEW.name BEGIN
  UPDATE devices SET client_sort = NEW.name WHERE tenant_id = NEW.tenant_id AND client_id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER `clients_sort_name_delete` AFTER DELETE ON `clients` BEGIN
  UPDATE devices SET client_sort = OLD.id WHERE tenant_id = OLD.tenant_id AND client_id = OLD.id;
END;
--> statement-breakpoint
CREATE TRIGGER `policies_sort_name_insert` AFTER INSERT ON `policies` BEGIN
  UPDATE devices SET policy_sort = NEW.name WHERE tenant_id = NEW.tenant_id AND policy_id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER `policies_sort_name_update` AFTER UPDATE OF name ON `policies` WHEN OLD.name IS NOT NEW.name BEGIN
  UPDATE devices SET policy_sort = NEW.name WHERE tenant_id = NEW.tenant_id AND policy_id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER `policies_sort_name_delete` AFTER DELETE ON `policies` BEGIN
  UPDATE devices SET policy_sort = OLD.id WHERE tenant_id = OLD.tenant_id AND policy_id = OLD.id;
END;
--> statement-breakpoint
CREATE INDEX `devices_client_sort` ON `devices` (`tenant_id`, `client_sort`, `id`);
--> statement-breakpoint
CREATE INDEX `devices_policy_sort` ON `devices` (`tenant_id`, `policy_sort`, `id`);
--> statement-breakpoint
CREATE INDEX `devices_policy` ON `devices` (`tenant_id`, `policy_id`);
--> statement-breakpoint
CREATE INDEX `devices_kind` ON `devices` (`tenant_id`, `kind`, `id`);
--> statement-breakpoint
CREATE INDEX `devices_storage` ON `devices` (`tenant_id`, `used_bytes`, `id`);
--> statement-breakpoint
-- The status sort's rank (worst first), exactly as device-queries.ts writes it.
CREATE INDEX `devices_status_rank` ON `devices` (`tenant_id`, (CASE `status` WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 WHEN 'unknown' THEN 2 ELSE 3 END), `id`);
--> statement-breakpoint
-- A stream's replay reads its tenant's (or client's) changes only; pruning reads by age.
CREATE INDEX `changes_tenant` ON `changes` (`tenant_id`, `id`);
--> statement-breakpoint
CREATE INDEX `changes_tenant_client` ON `changes` (`tenant_id`, `client_id`, `id`);
--> statement-breakpoint
CREATE INDEX `changes_at` ON `changes` (`at`);
