/** `/healthz`, `/readyz` and `/metrics`: liveness and readiness for load balancers, metrics for Prometheus. */
import { z } from '@hono/zod-openapi';
import type { AppDeps } from '../context.ts';
import { databaseAnswers } from '../http/readiness.ts';
import { apiRoute, json, router } from '../http/route.ts';
import type { Services } from '../services/index.ts';

export const livenessRoute = apiRoute('public', [], {
  method: 'get',
  path: '/healthz',
  summary: 'Liveness.',
  responses: { 200: json('The process answers.', z.object({ status: z.literal('ok') })) },
});

export const readinessRoute = apiRoute('public', [], {
  method: 'get',
  path: '/readyz',
  summary: 'Readiness: the database answers; lag of the sweep and the outbox.',
  responses: {
    200: json('Ready, with the details of each part.', z.looseObject({ status: z.literal('ready'), database: z.literal('ok') })),
    503: json('The database does not answer.', z.object({ status: z.literal('unavailable'), database: z.literal('unreachable'), detail: z.string() })),
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
      const failure = await databaseAnswers(deps.db);
      if (failure) return c.json({ status: 'unavailable' as const, database: 'unreachable' as const, detail: failure }, 503);
      return c.json({ status: 'ready' as const, database: 'ok' as const, ...(await services.readiness()) }, 200);
    })
    .openapi(metricsRoute, async (c) => {
      const { body, contentType } = await services.metrics.render();
      return c.body(body, 200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' }) as never;
    });
}
