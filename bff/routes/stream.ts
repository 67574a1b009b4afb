/** `/stream`: Server-Sent Events of device and alert changes, from any instance. */
import { z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import type { AppDeps } from '../context.ts';
import { tenantOf } from '../http/auth.ts';
import { badRequest } from '../http/problem.ts';
import { apiRoute, router } from '../http/route.ts';
import type { ChangeTail } from '../services/change-tail.ts';

// Both are read by `lastEventId` below (a bad value is a 400, as before the contract);
// the declaration documents them without validating.
const eventIdJson = { type: 'string', pattern: '^\\d+$' } as const;

export const streamRoute = apiRoute('read', [400], {
  method: 'get',
  path: '/',
  summary: 'Server-Sent Events: device.updated, alert.opened, alert.updated, alert.resolved (resume with Last-Event-ID).',
  parameters: [
    { name: 'Last-Event-ID', in: 'header', required: false, schema: eventIdJson },
    { name: 'lastEventId', in: 'query', required: false, schema: eventIdJson },
  ],
  responses: { 200: { description: 'The event stream.', content: { 'text/event-stream': { schema: z.string() } } } },
});

/** `Last-Event-ID` (sent by EventSource on reconnect) or `?lastEventId=` for clients that cannot set headers. */
function lastEventId(header: string | undefined, query: string | undefined): number | null {
  const raw = header ?? query;
  if (raw === undefined || raw === '') return null;
  if (!/^\d{1,15}$/.test(raw)) throw badRequest('Last-Event-ID must be the id of an event this stream sent (a whole number).');
  return Number(raw);
}

export function streamRoutes(deps: AppDeps, tail: ChangeTail) {
  return router().openapi(streamRoute, async (c) => {
    const auth = c.get('auth');
    const filter = { tenantId: tenantOf(auth), clientId: auth.clientId };
    const resumeAfter = lastEventId(c.req.header('last-event-id'), c.req.query('lastEventId'));
    // Reverse proxies (nginx) must not buffer the stream.
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (stream) => {
      const subscription = await tail.subscribe(
        filter,
        {
          change: (change) => stream.writeSSE({ event: change.event, id: String(change.id), data: change.payload }),
          comment: (text) => stream.write(`: ${text}\n\n`),
        },
        // An embed token's stream ends when the token expires; the widget reconnects with a new one.
        { lastEventId: resumeAfter, until: auth.expiresAt, now: deps.clock() },
      );
      stream.onAbort(() => subscription.close());
      if (stream.aborted) subscription.close();
      await subscription.closed;
    });
  });
}
