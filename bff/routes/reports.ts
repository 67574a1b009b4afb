/** `/reports`: the weekly summary as JSON (read) and "send the weekly e-mail now" (admin). */
import { WeeklyReportSchema, WeeklySendSchema } from '../../contract/resources.ts';
import { DAY } from '../../core/types.ts';
import type { AppDeps } from '../context.ts';
import { tenantOf } from '../http/auth.ts';
import { clientQuery } from '../http/params.ts';
import { notFound } from '../http/problem.ts';
import { apiRoute, json, router } from '../http/route.ts';
import { clientInScope } from '../http/scope.ts';
import { clientExists } from '../services/client-queries.ts';
import type { Services } from '../services/index.ts';
import { weeklyReportData } from '../services/weekly-data.ts';

export const weeklyReportRoute = apiRoute('read', [404, 422], {
  method: 'get',
  path: '/weekly',
  summary: 'The weekly summary for the 7 days ending now.',
  request: { query: clientQuery },
  responses: { 200: json('The weekly summary.', WeeklyReportSchema) },
});

export const sendWeeklyRoute = apiRoute('admin', [422], {
  method: 'post',
  path: '/weekly/send',
  summary: 'Send the weekly e-mail now.',
  responses: { 202: json('Queued for delivery.', WeeklySendSchema) },
});

export function reportRoutes(deps: AppDeps, services: Services) {
  const { db, clock } = deps;
  return router()
    .openapi(weeklyReportRoute, async (c) => {
      const auth = c.get('auth');
      const tenantId = tenantOf(auth);
      const clientId = clientInScope(auth, c.req.valid('query').client);
      if (clientId !== null && !(await clientExists(db, tenantId, clientId))) throw notFound(`Client "${clientId}"`);
      const now = clock();
      return c.json(await weeklyReportData(db, tenantId, now - 7 * DAY, now, clientId), 200);
    })
    .openapi(sendWeeklyRoute, async (c) => {
      const { recipients } = await services.integrations.weeklyMail.sendNow(tenantOf(c.get('auth')), clock());
      return c.json({ queued: true, recipients }, 202);
    });
}
