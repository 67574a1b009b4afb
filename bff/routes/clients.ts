/** `GET /clients` and `GET /clients/:id`: per-client roll-ups (status counts, compliance). */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../context.ts';
import { requireScope, tenantOf } from '../http/auth.ts';
import { notFound } from '../http/problem.ts';
import { validate } from '../http/validate.ts';
import { getClient, listClients } from '../services/client-queries.ts';
import type { Services } from '../services/index.ts';
import { idParam, limitParam } from './devices.ts';

const listQuery = z.object({ limit: limitParam(100), cursor: z.string().max(2048).optional() });

export function clientRoutes(deps: AppDeps, _services: Services) {
  const { db } = deps;
  return new Hono<AppEnv>()
    .get('/clients', requireScope('read'), validate('query', listQuery), async (c) => {
      const auth = c.get('auth');
      return c.json(await listClients(db, tenantOf(auth), auth.clientId, c.req.valid('query')));
    })
    .get('/clients/:id', requireScope('read'), validate('param', idParam), async (c) => {
      const auth = c.get('auth');
      const { id } = c.req.valid('param');
      const client = auth.clientId === null || auth.clientId === id ? await getClient(db, tenantOf(auth), id) : null;
      if (!client) throw notFound(`Client "${id}"`);
      return c.json(client);
    });
}
