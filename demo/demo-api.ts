/**
 * The demo's own small JSON endpoints under `/demo`: seeding status, page tokens,
 * what the stand-ins received, and buttons (send the weekly report, run a sweep,
 * simulate a round of jobs). Actions require the `X-Demo-Action` header so that
 * another site cannot trigger them with a plain cross-origin form post.
 */
import { Hono, type Context } from 'hono';
import { ApiError } from './api-client.ts';
import type { DemoContext } from './context.ts';
import { mintPageTokens, type PageTokenKind } from './tokens.ts';

const TOKEN_KINDS: readonly PageTokenKind[] = ['console', 'console-admin', 'psa', 'portal', 'theming'];

export function demoApiRoutes(context: DemoContext) {
  const noStore = { 'Cache-Control': 'no-store' };
  const failure = (c: Context, error: unknown) => {
    const status = error instanceof ApiError ? error.status : 500;
    return c.json({ error: String((error as Error)?.message ?? error) }, status === 404 ? 404 : status >= 500 ? 502 : 400, noStore);
  };
  const requireAction = (c: Context) => (c.req.header('x-demo-action') === '1' ? null : c.json({ error: 'Send the X-Demo-Action: 1 header.' }, 403));

  return new Hono()
    .get('/status', (c) =>
      c.json(
        {
          ...context.status,
          simulator: context.simulator ? { on: true, ...context.simulator.stats } : { on: false },
          sweepIntervalSeconds: context.sweepIntervalSeconds,
        },
        200,
        noStore,
      ),
    )
    .get('/tokens/:kind', async (c) => {
      const kind = c.req.param('kind') as PageTokenKind;
      if (!TOKEN_KINDS.includes(kind)) return c.json({ error: `Unknown page "${kind}".` }, 404);
      try {
        return c.json(await mintPageTokens(context, kind, c.req.query('client')), 200, noStore);
      } catch (error) {
        return failure(c, error);
      }
    })
    .get('/standins/psa.json', (c) => c.json({ items: context.standIns?.tickets() ?? [] }, 200, noStore))
    .get('/standins/oncall.json', (c) => c.json({ items: context.standIns?.pages() ?? [] }, 200, noStore))
    .get('/standins/inbox.json', (c) => c.json({ items: context.standIns?.mails() ?? [] }, 200, noStore))
    .post('/actions/send-weekly', async (c) => {
      const refused = requireAction(c);
      if (refused) return refused;
      try {
        return c.json(await context.api.post('/reports/weekly/send'), 202, noStore);
      } catch (error) {
        return failure(c, error);
      }
    })
    .post('/actions/sweep', async (c) => {
      const refused = requireAction(c);
      if (refused) return refused;
      try {
        const result = await context.api.post('/admin/evaluate');
        return c.json(
          { evaluated: result.evaluated, devicesChanged: result.devicesChanged.length, alertsOpened: result.alertsOpened.length, alertsResolved: result.alertsResolved.length },
          200,
          noStore,
        );
      } catch (error) {
        return failure(c, error);
      }
    })
    .post('/actions/simulate', async (c) => {
      const refused = requireAction(c);
      if (refused) return refused;
      if (!context.simulator) return c.json({ error: 'The simulator is off (DEMO_SIMULATOR=off).' }, 409);
      try {
        // Slots come in real time; the button brings the next due runs forward.
        const events = await context.simulator.runNow();
        return c.json({ events: events.length }, 200, noStore);
      } catch (error) {
        return failure(c, error);
      }
    });
}
