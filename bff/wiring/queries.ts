/**
 * Registers the read side: devices, clients, compliance, weekly report JSON, SLA and
 * report settings, the live stream (with its change-feed tail and pruning) and the
 * OpenAPI document.
 */
import { HOUR } from '../../core/types.ts';
import type { AppDeps } from '../context.ts';
import { openApiDocument } from '../openapi.ts';
import { clientRoutes } from '../routes/clients.ts';
import { complianceRoutes } from '../routes/compliance.ts';
import { deviceRoutes } from '../routes/devices.ts';
import { reportRoutes } from '../routes/reports.ts';
import { slaSettingsRoutes } from '../routes/settings-sla.ts';
import { streamRoutes } from '../routes/stream.ts';
import { ChangeTail } from '../services/change-tail.ts';
import type { Services } from '../services/index.ts';

/** How long changes stay in the feed for reconnecting streams (Last-Event-ID). */
export const CHANGE_RETENTION_MS = HOUR;

export function wireQueries(services: Services, deps: AppDeps): void {
  const tail = new ChangeTail(deps.db);
  services.changeTail = tail;
  services.routes.push(
    deviceRoutes(deps, services),
    clientRoutes(deps, services),
    complianceRoutes(deps, services),
    reportRoutes(deps, services),
    slaSettingsRoutes(deps, services),
    streamRoutes(deps, tail),
  );
  services.background.push({
    name: 'changes-prune',
    intervalMs: 5 * 60_000,
    run: async () => void (await tail.prune(deps.clock() - CHANGE_RETENTION_MS)),
  });
  services.onShutdown.push(() => tail.close());
  services.readinessChecks.push(async () => ({ streams: tail.size }));
  services.openapi = openApiDocument;
}

/** The instance's change-feed tail (tests await `nextDelivery()` on it). */
export function changeTailOf(services: Services): ChangeTail {
  return services.changeTail as ChangeTail;
}
