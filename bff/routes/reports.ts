/** `GET /reports/weekly` (the weekly summary as JSON) and `GET/PUT /settings/reports` (admin). */
import { Hono } from 'hono';
import { z } from 'zod';
import { DAY, type Weekday } from '../../core/types.ts';
import type { AppDeps, AppEnv } from '../context.ts';
import { requireScope, tenantOf } from '../http/auth.ts';
import { notFound } from '../http/problem.ts';
import { validate } from '../http/validate.ts';
import { clientExists } from '../services/client-queries.ts';
import type { Services } from '../services/index.ts';
import { reportSettingsView, weeklyReportData } from '../services/weekly-data.ts';
import { clientInScope, clientQuery } from './compliance.ts';

const WEEKDAYS: readonly Weekday[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

const isTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/** A PUT takes only the fields it changes; unknown keys are dropped. */
export const reportPatchSchema = z.object({
  weeklyEnabled: z.boolean({ error: 'weeklyEnabled must be true or false' }).optional(),
  recipients: z
    .array(z.email({ error: 'each recipient must be an e-mail address' }).max(320))
    .max(50, 'at most 50 recipients')
    .transform((list) => [...new Map(list.map((address) => [address.toLowerCase(), address])).values()])
    .optional(),
  deliveryDay: z.enum(WEEKDAYS as [Weekday, ...Weekday[]], { error: `deliveryDay must be one of ${WEEKDAYS.join(', ')}` }).optional(),
  deliveryTime: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'deliveryTime must be "HH:MM" (00:00–23:59)')
    .optional(),
  timezone: z.string().max(100).refine(isTimeZone, 'timezone must be an IANA time zone such as "Europe/Berlin"').optional(),
});

export function reportRoutes(deps: AppDeps, services: Services) {
  const { db, clock } = deps;
  return new Hono<AppEnv>()
    .get('/reports/weekly', requireScope('read'), validate('query', clientQuery), async (c) => {
      const auth = c.get('auth');
      const tenantId = tenantOf(auth);
      const clientId = clientInScope(auth, c.req.valid('query').client);
      if (clientId !== null && !(await clientExists(db, tenantId, clientId))) throw notFound(`Client "${clientId}"`);
      const now = clock();
      return c.json(await weeklyReportData(db, tenantId, now - 7 * DAY, now, clientId));
    })
    .get('/settings/reports', requireScope('admin'), async (c) =>
      c.json(await reportSettingsView(db, services.settings, tenantOf(c.get('auth')), clock())),
    )
    .put('/settings/reports', requireScope('admin'), validate('json', reportPatchSchema), async (c) => {
      const tenantId = tenantOf(c.get('auth'));
      await services.settings.update(tenantId, 'reports', c.req.valid('json'), clock());
      return c.json(await reportSettingsView(db, services.settings, tenantId, clock()));
    });
}
