/**
 * `/compliance` (read): rules in force, every device's SLA state, the summary; and
 * `/compliance/export?format=csv|pdf`, the same report as a file for QBRs and audits.
 * A client-scoped token sees and exports its own client only.
 */
import { z } from '@hono/zod-openapi';
import type { TypedResponse } from 'hono';
import { ComplianceReportSchema, PeriodComplianceReportSchema } from '../../contract/resources.ts';
import { REPORT_PERIODS } from '../../core/report-period.ts';
import type { AppDeps } from '../context.ts';
import { tenantOf } from '../http/auth.ts';
import { clientQuery } from '../http/params.ts';
import { apiRoute, json, router } from '../http/route.ts';
import { clientInScope } from '../http/scope.ts';
import { buildComplianceReport } from '../services/compliance.ts';
import { asksForPeriod } from '../services/compliance-period.ts';
import type { Services } from '../services/index.ts';

/** An ISO-8601 time, or a day (`YYYY-MM-DD`) read in the client's timezone (else the tenant's). */
const periodBound = (name: string, day: string) =>
  z
    .union([z.iso.datetime({ offset: true }), z.iso.date()], { error: `${name} must be an ISO-8601 time or a day (YYYY-MM-DD)` })
    .openapi({ description: `An ISO-8601 time, or a day YYYY-MM-DD: ${day} in the client's timezone (else the tenant's).`, example: '2026-11-01' });

/** `period` (in the client's timezone) or `from`+`to`: compliance over that time; neither (or `at=now`): the snapshot at now. */
const periodQuery = clientQuery.extend({
  period: z.enum(REPORT_PERIODS as ['30d', 'month', 'quarter'], { error: 'period must be 30d, month or quarter' }).optional(),
  from: periodBound('from', 'the first day').optional(),
  to: periodBound('to', 'the last day (inclusive)').optional(),
  at: z.literal('now', { error: 'at accepts only "now" (the snapshot)' }).optional(),
});

export const getComplianceRoute = apiRoute('read', [404, 422], {
  method: 'get',
  path: '/',
  summary: 'SLA compliance: the snapshot at now (rules in force, every device, the summary), or over a period from the job history.',
  request: { query: periodQuery },
  responses: {
    200: json('The snapshot (no period asked for), or the period report.', z.union([ComplianceReportSchema, PeriodComplianceReportSchema])),
  },
});

export const exportComplianceRoute = apiRoute('read', [404, 422], {
  method: 'get',
  path: '/export',
  summary:
    'The compliance report as CSV (the default) or PDF (QBR/audit): the snapshot at now, or over a period (`period` or `from`+`to`, as GET /compliance) with the summary first, breaches, a weekly chart and devices worst first. Rendered off the event loop, a few at a time per tenant (429 beyond).',
  request: { query: periodQuery.omit({ at: true }).extend({ format: z.enum(['csv', 'pdf'], { error: 'format must be "csv" or "pdf"' }).default('csv') }) },
  responses: {
    200: {
      description: 'The report file (Content-Disposition: attachment).',
      content: { 'text/csv': { schema: z.string() }, 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } },
    },
  },
});

export function complianceRoutes(deps: AppDeps, services: Services) {
  const { db, clock } = deps;
  return router()
    .openapi(getComplianceRoute, async (c) => {
      const auth = c.get('auth');
      const query = c.req.valid('query');
      const clientId = clientInScope(auth, query.client);
      if (query.at !== 'now' && asksForPeriod(query)) {
        // A period reads every device's history: built and serialized on a render worker, off the event loop.
        const { output } = await services.renders.render({ format: 'json', tenantId: tenantOf(auth), clientId, now: clock(), period: { period: query.period, from: query.from, to: query.to } });
        // The worker's text is the declared period report; Hono types only c.json() answers as JSON.
        return c.body(output as string, 200, { 'Content-Type': 'application/json' }) as unknown as TypedResponse<z.infer<typeof PeriodComplianceReportSchema>, 200, 'json'>;
      }
      return c.json(await buildComplianceReport(db, services.settings, tenantOf(auth), clientId, clock()), 200);
    })
    .openapi(exportComplianceRoute, async (c) => {
      const auth = c.get('auth');
      const { format, client, ...query } = c.req.valid('query');
      const period = asksForPeriod(query) ? { period: query.period, from: query.from, to: query.to } : undefined;
      // Built and rendered on a worker thread (render-pool.ts), a few at a time per tenant.
      const { filename, output } = await services.renders.render({ format, tenantId: tenantOf(auth), clientId: clientInScope(auth, client), now: clock(), period });
      const headers = { 'Content-Disposition': `attachment; filename="${filename}"`, 'Cache-Control': 'no-store' };
      if (typeof output === 'string') return c.body(output, 200, { ...headers, 'Content-Type': 'text/csv; charset=utf-8' });
      return c.body(output, 200, { ...headers, 'Content-Type': 'application/pdf' });
    });
}
