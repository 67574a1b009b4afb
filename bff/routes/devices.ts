/** `GET /devices` (the per-device view) and `GET /devices/:id` (detail). */
import { Hono } from 'hono';
import { z } from 'zod';
import { DEVICE_KINDS, HEALTH_STATUSES } from '../../core/types.ts';
import type { AppDeps, AppEnv } from '../context.ts';
import { requireScope, tenantOf } from '../http/auth.ts';
import { notFound } from '../http/problem.ts';
import { validate } from '../http/validate.ts';
import { DEVICE_SORTS, getDeviceDetail, listDevices } from '../services/device-queries.ts';
import type { Services } from '../services/index.ts';

/** An external id as the inventory accepts it (anything else cannot exist: 404 rather than 422). */
export const idParam = z.object({ id: z.string().min(1).max(200) });

/** `a,b` or a repeated parameter, each value one of `values`. */
export const commaList = <T extends string>(values: readonly T[], what: string) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((raw) =>
      (Array.isArray(raw) ? raw.join(',') : raw)
        .split(',')
        .map((value) => value.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(values as [T, ...T[]], { error: `Each ${what} must be one of ${values.join(', ')}.` })).max(20))
    .optional();

/** A page size from the query string. */
export const limitParam = (fallback: number) =>
  z.coerce.number({ error: 'limit must be a number' }).int().min(1, 'limit must be at least 1').max(500, 'limit must be at most 500').default(fallback);

const listQuery = z.object({
  client: z.string().min(1).max(200).optional(),
  status: commaList(HEALTH_STATUSES, 'status'),
  kind: commaList(DEVICE_KINDS, 'kind'),
  q: z.string().trim().max(200, 'q must be at most 200 characters').optional(),
  sort: z.enum(DEVICE_SORTS, { error: `sort must be one of ${DEVICE_SORTS.join(', ')}` }).default('score'),
  order: z.enum(['asc', 'desc'], { error: 'order must be asc or desc' }).default('asc'),
  limit: limitParam(50),
  cursor: z.string().max(2048).optional(),
});

export function deviceRoutes(deps: AppDeps, services: Services) {
  const { db, clock } = deps;
  return new Hono<AppEnv>()
    .get('/devices', requireScope('read'), validate('query', listQuery), async (c) => {
      const auth = c.get('auth');
      return c.json(await listDevices(db, tenantOf(auth), auth.clientId, c.req.valid('query')));
    })
    .get('/devices/:id', requireScope('read'), validate('param', idParam), async (c) => {
      const auth = c.get('auth');
      const { id } = c.req.valid('param');
      const detail = await getDeviceDetail(db, services.settings, tenantOf(auth), auth.clientId, id, clock());
      if (!detail) throw notFound(`Device "${id}"`);
      return c.json(detail);
    });
}
