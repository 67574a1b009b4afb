/** `/healthz`, `/readyz` and `/metrics`: liveness and readiness for load balancers, metrics for Prometheus. */
import { z } from '@hono/zod-openapi';
import type { AppDeps } from '../context.ts';
import { primaryOf } from '../db/client.ts';
import { databaseAnswers } from '../http/readiness.ts';
import { apiRoute, json, router } from '../http/route.ts';
import type { Services } from '../services/index.ts';

export const livenessRoute = apiRoute('public', [], {
  method: 'get',
  path: '/healthz',
  summary: 'Liveness.',
  responses: { 200: json('The process answers.', z.object({ status: z.literal('ok') })) },
});

const replicaState = z.object({ lagMs: z.number(), maxLagMs: z.number() });

export const readinessRoute = apiRoute('public', [], {
  method: 'get',
  path: '/readyz',
  summary: 'Readiness: the database answers and the embedded replica (if any) is within its lag bound; lag of the sweep and the outbox.',
  responses: {
    200: json('Ready, with the details of each part.', z.looseObject({ status: z.literal('ready'), database: z.literal('ok') })),
    503: json(
      'The database does not answer, or the embedded replica lags past its bound.',
      z.object({ status: z.literal('unavailable'), database: z.enum(['unreachable', 'replica_lagging']), detail: z.string(), replica: replicaState.optional() }),
    ),
  },
});

export const metricsRoute = apiRoute('public', [], {
  method: 'get',
  path: '/metrics',
  summary: 'Prometheus metrics of this instance (text format; no tenant, client or device labels).',
  responses: { 200: { description: 'The metrics in Prometheus text exposition format.', content: { 'text/plain': { schema: z.string() } } } },
});

export function systemRoutes(deps: AppDeps, services: Services) {
  return router()
    .openapi(livenessRoute, (c) => c.json({ status: 'ok' as const }, 200))
    .openapi(readinessRoute, async (c) => {
      const failure = await databaseAnswers(primaryOf(deps.db));
      if (failure) return c.json({ status: 'unavailable' as const, database: 'unreachable' as const, detail: failure }, 503);
      const replica = deps.db.replica && { lagMs: deps.db.replica.lagMs(), maxLagMs: deps.db.replica.maxLagMs };
      // A replica past its bound: this instance reads the primary meanwhile, but a
      // replica that cannot sync is a fault of this instance worth routing around.
      if (replica && replica.lagMs > replica.maxLagMs) {
        const detail = `the embedded replica has not synced for ${Math.round(replica.lagMs / 1000)} s (bound ${replica.maxLagMs / 1000} s)`;
        return c.json({ status: 'unavailable' as const, database: 'replica_lagging' as const, detail, replica }, 503);
      }
      return c.json({ status: 'ready' as const, database: 'ok' as const, ...(replica ? { replica } : {}), ...(await services.readiness()) }, 200);
    })
    .openapi(metricsRoute, async (c) => {
      const { body, contentType } = await services.metrics.render();
      return c.body(body, 200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' }) as never;
    });
}
