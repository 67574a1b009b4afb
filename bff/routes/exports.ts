/**
 * `GET /compliance/export?format=csv|pdf&client` (read): the compliance report as a
 * file for QBRs and audits, built from the same report value as `GET /compliance`.
 * A client-scoped token exports its own client only.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../context.ts';
import { requireScope, tenantOf } from '../http/auth.ts';
import { validate } from '../http/validate.ts';
import { buildComplianceReport } from '../services/compliance.ts';
import { complianceCsv } from '../services/exports/csv.ts';
import { compliancePdf } from '../services/exports/pdf.ts';
import { exportFilename } from '../services/exports/report-text.ts';
import type { Services } from '../services/index.ts';
import { clientInScope, clientQuery } from './compliance.ts';

const query = clientQuery.extend({ format: z.enum(['csv', 'pdf'], { error: 'format must be "csv" or "pdf"' }).default('csv') });

export function exportRoutes(deps: AppDeps, services: Services) {
  return new Hono<AppEnv>().get('/compliance/export', requireScope('read'), validate('query', query), async (c) => {
    const auth = c.get('auth');
    const { format, client } = c.req.valid('query');
    const report = await buildComplianceReport(deps.db, services.settings, tenantOf(auth), clientInScope(auth, client), deps.clock());
    const headers = {
      'Content-Disposition': `attachment; filename="${exportFilename(report, format)}"`,
      'Cache-Control': 'no-store',
    };
    if (format === 'csv') return c.body(complianceCsv(report), 200, { ...headers, 'Content-Type': 'text/csv; charset=utf-8' });
    const pdf = await compliancePdf(report);
    return c.body(new Uint8Array(pdf), 200, { ...headers, 'Content-Type': 'application/pdf' });
  });
}
