CREATE TABLE `client_rollups` (
	`tenant_id` text NOT NULL,
	`client_id` text NOT NULL,
	`total` integer DEFAULT 0 NOT NULL,
	`healthy` integer DEFAULT 0 NOT NULL,
	`warning` integer DEFAULT 0 NOT NULL,
	`critical` integer DEFAULT 0 NOT NULL,
	`unknown` integer DEFAULT 0 NOT NULL,
	`meeting` integer DEFAULT 0 NOT NULL,
	`breach` integer DEFAULT 0 NOT NULL,
	`pending` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`tenant_id`, `client_id`)
);
--> statement-breakpoint
CREATE TRIGGER `devices_rollup_insert` AFTER INSERT ON `devices` BEGIN
  INSERT INTO client_rollups (tenant_id, client_id, total, healthy, warning, critical, unknown, meeting, breach, pending) SELECT NEW.tenant_id, NEW.client_id, 1, NEW.status = 'healthy', NEW.status = 'warning', NEW.status = 'critical', NEW.status = 'unknown', NEW.sla_state = 'meeting', NEW.sla_state = 'breach', NEW.sla_state = 'pending' WHERE NEW.retired_at IS NULL
    ON CONFLICT (tenant_id, client_id) DO UPDATE SET total = total + 1, healthy = healthy + excluded.healthy, warning = warning + excluded.warning, critical = critical + excluded.critical, unknown = unknown + excluded.unknown, meeting = meeting + excluded.meeting, breach = breach + excluded.breach, pending = pending + excluded.pending;
END;
--> statement-breakpoint
CREATE TRIGGER `devices_rollup_update` AFTER UPDATE OF status, sla_state, client_id, retired_at ON `devices`
WHEN OLD.status IS NOT NEW.status OR OLD.sla_state IS NOT NEW.sla_state OR OLD.client_id IS NOT NEW.client_id
  OR (OLD.retired_at IS NULL) IS NOT (NEW.retired_at IS NULL)
BEGIN
  UPDATE client_rollups SET total = total - 1, healthy = healthy - (OLD.status = 'healthy'), warning = warning - (OLD.status = 'warning'), critical = critical - (OLD.status = 'critical'), unknown = unknown - (OLD.status = 'unknown'), meeting = meeting - (OLD.sla_state = 'meeting'), breach = breach - (OLD.sla_state = 'breach'), pending = pending - (OLD.sla_state = 'pending')
    WHERE OLD.retired_at IS NULL AND tenant_id = OLD.tenant_id AND client_id = OLD.client_id;
  INSERT INTO client_rollups (tenant_id, client_id, total, healthy, warning, critical, unknown, meeting, breach, pending) SELECT NEW.tenant_id, NEW.client_id, 1, NEW.status = 'healthy', NEW.status = 'warning', NEW.status = 'critical', NEW.status = 'unknown', NEW.sla_state = 'meeting', NEW.sla_state = 'breach', NEW.sla_state = 'pending' WHERE NEW.retired_at IS NULL
    ON CONFLICT (tenant_id, client_id) DO UPDATE SET total = total + 1, healthy = healthy + excluded.healthy, warning = warning + excluded.warning, critical = critical + excluded.critical, unknown = unknown + excluded.unknown, meeting = meeting + excluded.meeting, breach = breach + excluded.breach, pending = pending + excluded.pending;
END;
--> statement-breakpoint
CREATE TRIGGER `devices_rollup_delete` AFTER DELETE ON `devices` BEGIN
  UPDATE client_rollups SET total = total - 1, healthy = healthy - (OLD.status = 'healthy'), warning = warning - (OLD.status = 'warning'), critical = critical - (OLD.status = 'critical'), unknown = unknown - (OLD.status = 'unknown'), meeting = meeting - (OLD.sla_state = 'meeting'), breach = breach - (OLD.sla_state = 'breach'), pending = pending - (OLD.sla_state = 'pending')
    WHERE OLD.retired_at IS NULL AND tenant_id = OLD.tenant_id AND client_id = OLD.client_id;
END;
--> statement-breakpoint
INSERT INTO client_rollups (tenant_id, client_id, total, healthy, warning, critical, unknown, meeting, breach, pending)
  SELECT tenant_id, client_id, COUNT(*), SUM(status = 'healthy'), SUM(status = 'warning'), SUM(status = 'critical'), SUM(status = 'unknown'),
    SUM(sla_state = 'meeting'), SUM(sla_state = 'breach'), SUM(sla_state = 'pending')
  FROM devices WHERE retired_at IS NULL GROUP BY tenant_id, client_id;
