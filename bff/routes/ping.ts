/**
 * The ping URLs, compatible with Healthchecks' ping API: `GET|POST|HEAD
 * /ping/{pingKey}/{slug}[/start|/fail|/log|/{exitStatus}][?rid=<uuid>]`. Mounted at
 * the root, outside /api/v1's bearer auth: the ping key is the credential and can
 * do nothing but report. Answers are plain text as Healthchecks' are (`OK`,
 * `not found`), so every script and tool that speaks that API works unchanged.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppDeps, AppEnv } from '../context.ts';
import { EMPTY_BODY, readPingBody } from '../inbound/ping/body-reader.ts';
import { readBodyFacts } from '../inbound/ping/body-report.ts';
import { interpretPing } from '../inbound/ping/interpret.ts';
import { holdPing } from '../inbound/ping/discovery.ts';
import { NO_SUCH_SLUG, PING_BODY_LIMIT_BYTES, PingIngest } from '../inbound/ping/ping-ingest.ts';
import { DEFAULT_PING_RATE, KeyRateLimiter, type RateLimitOptions } from '../inbound/ping/rate-limit.ts';
import { isRefusal, readPingRequest } from '../inbound/ping/signal.ts';
import type { Services } from '../services/index.ts';

/** Restic prints its summary last: this much of a long body's end is read for it. */
const TAIL_BYTES = 16 * 1024;

const text = z.string().openapi({ example: 'OK' });
const answers = {
  200: { content: { 'text/plain': { schema: text } }, description: '`OK`: the ping was recorded, or held in the discovery inbox (header `Ping-Body-Limit`: bytes of the body kept).' },
  201: { content: { 'text/plain': { schema: text } }, description: '`created`: with `?create=1`, an unknown slug now waits in the discovery inbox, its pings held until it is approved.' },
  400: { content: { 'text/plain': { schema: text } }, description: 'An exit status above 255 or a `rid` that is no UUID.' },
  404: { content: { 'text/plain': { schema: text } }, description: '`not found`: unknown ping key or slug, or a retired device.' },
  413: { content: { 'text/plain': { schema: text } }, description: 'The body is larger than the server accepts at all (the first 100,000 bytes are kept of any smaller one).' },
  429: { content: { 'text/plain': { schema: text } }, description: 'Too many pings for this ping key; retry after `Retry-After` seconds.' },
} as const;
const { 413: _tooLarge, ...withoutBodyAnswers } = answers;
const query = z.object({
  rid: z.string().optional().openapi({ description: 'A UUID pairing a `/start` with its end: one job.' }),
  create: z.string().optional().openapi({ description: '`1`: an unknown slug is held in the discovery inbox (201 the first time) instead of answered 404; approving it enrols the device and replays its pings.' }),
});
const key = z.string().openapi({ description: "The tenant's ping key (`GET /api/v1/settings/ingest`)." });
const slug = z.string().openapi({ description: "The device's ping slug (default: its id lowercased)." });
const signal = z.string().openapi({ description: '`start`, `fail`, `log`, or an exit status 0–255 (0 success, else failed).' });

/** The four ping routes (GET and POST, with and without a signal); HEAD is answered by GET. */
function pingRoute<R extends typeof answers | typeof withoutBodyAnswers>(method: 'get' | 'post', withSignal: boolean, responses: R) {
  return createRoute({
    method,
    path: withSignal ? '/ping/{pingKey}/{slug}/{signal}' : '/ping/{pingKey}/{slug}',
    tags: ['Ping'],
    'x-required-scope': 'public',
    security: [],
    summary: withSignal ? 'Report a start, failure, exit status or log line' : 'Report a successful run',
    description: method === 'post' ? 'The body (text, a restic `backup --json` summary or a Duplicati JSON report) is the job\'s log; restic and Duplicati bodies also set status, times and bytes.' : 'HEAD works as GET.',
    request: { params: withSignal ? z.object({ pingKey: key, slug, signal }) : z.object({ pingKey: key, slug }), query },
    responses,
  });
}

/** Every ping route definition, for the OpenAPI document. */
// Only a POST carries a body that can be too large (413).
export const PING_ROUTES = [
  pingRoute('get', false, withoutBodyAnswers),
  pingRoute('get', true, withoutBodyAnswers),
  pingRoute('post', false, answers),
  pingRoute('post', true, answers),
] as const;

/** Options of the ping path (tests and benchmarks change the rate limit). */
export interface PingRouteOptions {
  rateLimit?: RateLimitOptions;
}

/** The /ping sub-app, to mount at the root. */
export function pingRoutes(deps: AppDeps, services: Services, options: PingRouteOptions = {}) {
  const { db, clock, config } = deps;
  const ingest = new PingIngest(db, services.ingestor);
  const limiter = new KeyRateLimiter(clock, options.rateLimit ?? DEFAULT_PING_RATE);
  const limits = { keepBytes: PING_BODY_LIMIT_BYTES, tailBytes: TAIL_BYTES, maxBytes: config.bodyLimitBytes };

  const answer = <S extends 200 | 201 | 400 | 404 | 413 | 429>(c: Context, status: S, body: string, headers: Record<string, string> = {}) =>
    c.text(body, status, { 'Ping-Body-Limit': String(PING_BODY_LIMIT_BYTES), ...headers });

  async function ping(c: Context, pingKey: string, deviceSlug: string, suffix: string | undefined) {
    const retryAfter = limiter.take(pingKey);
    if (retryAfter > 0) return answer(c, 429, 'rate limited', { 'Retry-After': String(retryAfter) });
    const request = readPingRequest(suffix, { rid: c.req.query('rid'), create: c.req.query('create') });
    if (isRefusal(request)) return answer(c, request.status, request.text);
    const body = c.req.method === 'POST' ? await readPingBody(c.req.raw.body, limits) : EMPTY_BODY;
    if (body === 'too-large') return answer(c, 413, `request body too large (at most ${limits.maxBytes} bytes)`);
    const now = clock();
    const action = interpretPing(request, readBodyFacts(body, c.req.header('content-type') ?? ''), now);
    const outcome = await ingest.apply(pingKey, deviceSlug, action, now);
    if (!outcome.applied) {
      if (request.create && outcome.reason === NO_SUCH_SLUG) {
        const held = await holdPing(db, pingKey, deviceSlug, action, now);
        if (held === 'created') return answer(c, 201, 'created');
        if (held === 'held') return answer(c, 200, 'OK');
        if (held === 'ignored') return answer(c, 404, 'not found (ignored in the discovery inbox)');
      }
      return answer(c, 404, 'not found');
    }
    return answer(c, 200, 'OK');
  }

  const app = new OpenAPIHono<AppEnv>();
  const handle = (c: Context) => ping(c, c.req.param('pingKey')!, c.req.param('slug')!, c.req.param('signal'));
  // Declared for the OpenAPI document, served without the declarations' zod validators:
  // the parameters are plain strings `ping` checks itself, and validating them was ~4 %
  // of a ping's time (the bare endpoint it is measured against has none).
  for (const route of PING_ROUTES) {
    app.openAPIRegistry.registerPath(route);
    app.on(route.method.toUpperCase(), route.getRoutingPath(), handle);
  }
  // Anything else under /ping answers as Healthchecks does, not with the API's problem documents.
  app.all('/ping/*', (c) => answer(c, 404, 'not found'));
  return app;
}
