/**
 * `/trends` (read): success rate and SLA compliance per local day (`days`, default 30)
 * or ISO week (`weeks`, the 12-week sparklines), tenant-wide or for one client. A
 * client-scoped credential sees its own client only.
 */
import { z } from '@hono/zod-openapi';
import { TrendsSchema } from '../../contract/resources.ts';
import type { AppDeps } from '../context.ts';
import { tenantOf } from '../http/auth.ts';
import { clientQuery } from '../http/params.ts';
import { unprocessable } from '../http/problem.ts';
import { apiRoute, json, router } from '../http/route.ts';
import { clientInScope } from '../http/scope.ts';
import type { Services } from '../services/index.ts';
import { buildTrends } from '../services/trends.ts';

export const MAX_TREND_DAYS = 366;
export const MAX_TREND_WEEKS = 53;

const count = (name: string, max: number) =>
  z.coerce
    .number({ error: `${name} must be a number` })
    .int(`${name} must be a whole number`)
    .min(1, `${name} must be at least 1`)
    .max(max, `${name} must be at most ${max}`)
    .optional()
    .openapi({ type: 'integer', minimum: 1, maximum: max });

export const getTrendsRoute = apiRoute('read', [404, 422], {
  method: 'get',
  path: '/',
  summary: 'Success rate and SLA compliance per day (days, default 30) or per ISO week (weeks), in the client\'s or tenant\'s timezone.',
  request: { query: clientQuery.extend({ days: count('days', MAX_TREND_DAYS), weeks: count('weeks', MAX_TREND_WEEKS) }) },
  responses: { 200: json('One bucket per day or week, oldest first; the last holds now.', TrendsSchema) },
});

export function trendRoutes(deps: AppDeps, services: Services) {
  const { db, clock } = deps;
  return router().openapi(getTrendsRoute, async (c) => {
    const auth = c.get('auth');
    const { client, days, weeks } = c.req.valid('query');
    if (days !== undefined && weeks !== undefined) throw unprocessable('Ask for days or for weeks, not both.', [{ path: 'weeks', message: 'weeks cannot be combined with days' }]);
    const clientId = clientInScope(auth, client);
    const [unit, n] = weeks !== undefined ? (['week', weeks] as const) : (['day', days ?? 30] as const);
    return c.json(await buildTrends(db, services.settings, tenantOf(auth), clientId, unit, n, clock()), 200);
  });
}
