/**
 * `/stream`: Server-Sent Events of device and alert changes, from any instance.
 * Open streams are capped per credential, per tenant and per process (429 beyond).
 */
import { createHash } from 'node:crypto';
import { z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import type { AppDeps } from '../context.ts';
import { tenantOf } from '../http/auth.ts';
import { badRequest, tooManyRequests } from '../http/problem.ts';
import { apiRoute, router } from '../http/route.ts';
import type { Change, ChangeTail } from '../services/change-tail.ts';
import type { StreamAdmission } from '../services/index.ts';

// Both are read by `lastEventId` below (a bad value is a 400, as before the contract);
// the declaration documents them without validating.
const eventIdJson = { type: 'string', pattern: '^\\d+$' } as const;

export const streamRoute = apiRoute('read', [400], {
  method: 'get',
  path: '/',
  summary:
    'Server-Sent Events: device.updated, alert.opened, alert.updated, alert.resolved (resume with Last-Event-ID); ' +
    '`reset` when the stream is too far behind to catch up: reload, then continue (its id is the new position); ' +
    'open streams are capped per credential, tenant and process (429 beyond).',
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

/** Streams end when browsers leave; a refused one retries after this long. */
const RETRY_AFTER_S = 10;

const FULL_TEXT = {
  token: 'This credential has',
  tenant: 'This tenant has',
  process: 'This server has',
} as const;

const sseText = (change: Change) =>
  `event: ${change.event}\n${change.payload.split(/\r\n|\r|\n/).map((line) => `data: ${line}`).join('\n')}\nid: ${change.id}\n\n`;

/** Identifies the credential without keeping it (the header as sent). */
function credentialKey(header: string | undefined): string {
  return createHash('sha256').update(header ?? '').digest('base64url');
}

export function streamRoutes(deps: AppDeps, tail: ChangeTail, admission: StreamAdmission) {
  return router().openapi(streamRoute, async (c) => {
    const auth = c.get('auth');
    const tenantId = tenantOf(auth);
    const filter = { tenantId, clientId: auth.clientId };
    const resumeAfter = lastEventId(c.req.header('last-event-id'), c.req.query('lastEventId'));
    const admitted = admission.admit({
      token: credentialKey(c.req.header('authorization') ?? c.req.header('x-integration-key')),
      tenant: tenantId,
      process: '',
    });
    if ('full' in admitted) {
      const limit = admission.limits[admitted.full];
      throw tooManyRequests(`${FULL_TEXT[admitted.full]} ${limit} open streams, the most allowed; close one (one stream serves every widget of a page).`, RETRY_AFTER_S);
    }
    // Reverse proxies (nginx) must not buffer the stream.
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (stream) => {
      try {
        const subscription = await tail.subscribe(
          filter,
          {
            change: (change) => stream.writeSSE({ event: change.event, id: String(change.id), data: change.payload }),
            // A replay page as one write, each event as writeSSE writes it.
            batch: (changes) => stream.write(changes.map(sseText).join('')),
            comment: (text) => stream.write(`: ${text}\n\n`),
            reset: (position, reason) => stream.writeSSE({ event: 'reset', id: String(position), data: JSON.stringify({ reason }) }),
          },
          // An embed token's stream ends when the token expires; the widget reconnects with a new one.
          { lastEventId: resumeAfter, until: auth.expiresAt, now: deps.clock() },
        );
        stream.onAbort(() => subscription.close());
        if (stream.aborted) subscription.close();
        await subscription.closed;
      } finally {
        admitted.release();
      }
    });
  });
}
