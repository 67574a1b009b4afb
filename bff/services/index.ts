/**
 * Wires the services of one app instance together. Each area registers its routes,
 * background tasks and evaluation listeners in its own wiring file (bff/wiring/).
 */
import type { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../context.ts';
import { wireEvaluation } from '../wiring/evaluation.ts';
import { wireIntegrations } from '../wiring/integrations.ts';
import { wireQueries } from '../wiring/queries.ts';
import { CredentialResolver } from './credentials.ts';
import type { EvaluationListener } from './evaluation-hooks.ts';
import { SettingsStore } from './settings-store.ts';

export interface BackgroundTask {
  name: string;
  /** Pause between the end of one run and the start of the next. */
  intervalMs: number;
  run(): Promise<void>;
}

export interface Services {
  credentials: CredentialResolver;
  settings: SettingsStore;
  /** Resource sub-apps mounted under /api/v1 (after auth). */
  routes: Hono<AppEnv>[];
  /** Called inside every device evaluation's transaction (integrations enqueue here). */
  evaluationListeners: EvaluationListener[];
  /** Periodic work started by `startBackground` (sweeps, outbox dispatch, weekly mail, stream tail). */
  background: BackgroundTask[];
  /** Called on shutdown before the database closes (end streams, flush). */
  onShutdown: (() => Promise<void> | void)[];
  /** Readiness details for /readyz, contributed by each area. */
  readinessChecks: (() => Promise<Record<string, unknown>>)[];
  readiness(): Promise<Record<string, unknown>>;
  openapi(): object;
  /** Area services, set by the wiring files (typed there via declaration merging). */
  [area: string]: unknown;
}

export function createServices(deps: AppDeps): Services {
  const services: Services = {
    credentials: new CredentialResolver(deps.db),
    settings: new SettingsStore(deps.db, deps.clock),
    routes: [],
    evaluationListeners: [],
    background: [],
    onShutdown: [],
    readinessChecks: [],
    async readiness() {
      const parts = await Promise.all(services.readinessChecks.map((check) => check()));
      return Object.assign({}, ...parts);
    },
    openapi: () => ({ openapi: '3.1.0', info: { title: 'Backup Health API', version: '1' }, paths: {} }),
  };
  wireEvaluation(services, deps);
  wireQueries(services, deps);
  wireIntegrations(services, deps);
  return services;
}
