/**
 * Registers the evaluation area: inventory, ingestion, evaluation, the sweep and
 * the alert routes. Its services hang on `services` (see `evaluationArea`).
 */
import type { AppDeps } from '../context.ts';
import { adminRoutes } from '../routes/admin.ts';
import { alertRoutes } from '../routes/alerts.ts';
import { eventRoutes } from '../routes/events.ts';
import { inventoryRoutes } from '../routes/inventory.ts';
import { Evaluator } from '../services/evaluator.ts';
import type { Services } from '../services/index.ts';
import { Ingestor } from '../services/ingest/index.ts';
import { Inventory } from '../services/inventory.ts';
import { Sweeper } from '../services/sweeper.ts';

/** The evaluation area's services, for routes, tests and other areas. */
export interface EvaluationArea {
  evaluator: Evaluator;
  ingestor: Ingestor;
  inventory: Inventory;
  /** `sweeper.sweep(now)` evaluates every due device at once (no lease); `runOnce(now)` is the background turn. */
  sweeper: Sweeper;
}

const DEFAULT_SWEEP_INTERVAL_MS = 60_000;

/** The evaluation area of an app's services (set by `wireEvaluation`). */
export function evaluationArea(services: Services): EvaluationArea {
  const { evaluator, ingestor, inventory, sweeper } = services as unknown as EvaluationArea;
  if (!evaluator || !sweeper) throw new Error('wireEvaluation has not run on these services');
  return { evaluator, ingestor, inventory, sweeper };
}

/** Builds the area's services, mounts its routes, registers the sweep task, its shutdown and readiness hooks. */
export function wireEvaluation(services: Services, deps: AppDeps): void {
  const { db, config, clock, instanceId } = deps;
  // The listener array is shared: integrations wired later still hear every evaluation.
  const evaluator = new Evaluator(services.settings, services.evaluationListeners);
  const sweepIntervalMs = config.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS;
  const area: EvaluationArea = {
    evaluator,
    ingestor: new Ingestor(db, evaluator),
    inventory: new Inventory(db, evaluator),
    // A lease outlives two missed turns before another instance takes over.
    sweeper: new Sweeper(db, evaluator, instanceId, Math.max(3 * sweepIntervalMs, 30_000)),
  };
  Object.assign(services, area);

  services.routes.push(inventoryRoutes(deps, services), eventRoutes(deps, services), alertRoutes(deps, services), adminRoutes(deps, services));
  services.background.push({
    name: 'sweep',
    intervalMs: sweepIntervalMs,
    run: async () => void (await area.sweeper.runOnce(clock())),
  });
  services.onShutdown.push(() => area.sweeper.release());
  services.readinessChecks.push(async () => ({ sweep: area.sweeper.readiness() }));
}
