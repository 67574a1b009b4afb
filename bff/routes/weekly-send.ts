/** `POST /reports/weekly/send` (admin): queue the weekly summary e-mail now (SPEC §6). */
import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../context.ts';
import { requireScope, tenantOf } from '../http/auth.ts';
import type { Integrations } from '../wiring/integrations.ts';

export function weeklySendRoutes(deps: AppDeps, integrations: Integrations) {
  return new Hono<AppEnv>().post('/reports/weekly/send', requireScope('admin'), async (c) => {
    const { recipients } = await integrations.weeklyMail.sendNow(tenantOf(c.get('auth')), deps.clock());
    return c.json({ queued: true, recipients }, 202);
  });
}
