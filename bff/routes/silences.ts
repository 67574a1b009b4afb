/**
 * `/silences`: mute notifications for matching alerts for a while (operate to create
 * and expire, read to list). A client-scoped credential sees and creates silences of
 * its client only.
 */
import { z } from '@hono/zod-openapi';
import { SilenceBodySchema, SilencePageSchema, SilenceSchema } from '../../contract/maintenance.ts';
import { silenceIssues, type AlertType, type SilenceInput } from '../../core/index.ts';
import type { AppDeps, AuthContext } from '../context.ts';
import { actorOf } from '../http/actor.ts';
import { tenantOf } from '../http/auth.ts';
import { cursorParam, idParam, limitParam } from '../http/params.ts';
import { notFound, unprocessable } from '../http/problem.ts';
import { apiRoute, json, router } from '../http/route.ts';
import { addSilence, expireSilenceNow, listSilences } from '../services/silence-store.ts';

export const createSilenceRoute = apiRoute('operate', [400, 415, 422], {
  method: 'post',
  path: '/',
  summary: 'Silence notifications (tickets, pages, reminders) for matching alerts until endsAt; the alerts still open and show silencedBy.',
  request: { body: { required: true, content: { 'application/json': { schema: SilenceBodySchema } } } },
  responses: { 201: json('Created.', SilenceSchema) },
});

export const listSilencesRoute = apiRoute('read', [400, 422], {
  method: 'get',
  path: '/',
  summary: 'Silences, newest first, each with its state (pending, active, expired); expired ones are kept.',
  request: { query: z.object({ state: z.enum(['pending', 'active', 'expired']).optional(), limit: limitParam(100), cursor: cursorParam }) },
  responses: { 200: json('A page of silences.', SilencePageSchema) },
});

export const expireSilenceRoute = apiRoute('operate', [404, 422], {
  method: 'delete',
  path: '/{id}',
  summary: 'Expire a silence now (a pending one never starts); it stays in the list as expired.',
  request: { params: idParam },
  responses: { 200: json('The expired silence.', SilenceSchema) },
});

/** The silence as core validates it, or a 422 naming each field it breaks (the contract already required times with an offset). */
function silenceInput(body: z.infer<typeof SilenceBodySchema>, auth: AuthContext, now: number): SilenceInput {
  const input: SilenceInput = {
    matchers: { ...body.matchers, type: body.matchers.type as AlertType | undefined },
    endsAt: Date.parse(body.endsAt),
    comment: body.comment,
  };
  if (input.matchers.type === undefined) delete input.matchers.type;
  if (body.startsAt !== undefined) input.startsAt = Date.parse(body.startsAt);
  const errors: { path: string; message: string }[] = [];
  if (auth.clientId !== null && body.matchers.clientId !== auth.clientId) {
    errors.push({ path: 'matchers.clientId', message: `this credential silences client "${auth.clientId}" only: matchers.clientId must be "${auth.clientId}"` });
  }
  if (errors.length === 0) errors.push(...silenceIssues(input, now));
  if (errors.length > 0) throw unprocessable(`The silence has ${errors.length} invalid field(s).`, errors);
  return input;
}

export function silenceRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  return router()
    .openapi(listSilencesRoute, async (c) => {
      const auth = c.get('auth');
      return c.json(await listSilences(db, tenantOf(auth), auth.clientId, c.req.valid('query'), clock()), 200);
    })
    .openapi(createSilenceRoute, async (c) => {
      const auth = c.get('auth');
      const now = clock();
      const input = silenceInput(c.req.valid('json'), auth, now);
      return c.json(await db.transaction((tx) => addSilence(tx, tenantOf(auth), input, actorOf(auth), now)), 201);
    })
    .openapi(expireSilenceRoute, async (c) => {
      const auth = c.get('auth');
      const { id } = c.req.valid('param');
      const now = clock();
      const silence = await db.transaction((tx) => expireSilenceNow(tx, tenantOf(auth), auth.clientId, id, now));
      if (!silence) throw notFound(`Silence "${id}"`);
      return c.json(silence, 200);
    });
}
