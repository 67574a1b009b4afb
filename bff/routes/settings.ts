/**
 * `/settings` (admin): SLA hours, the weekly report schedule, the PSA and On-Call
 * integrations, and the read-only mail status. A PUT takes only the fields it
 * changes. Secrets are write-only: GET answers `integrationKeySet` instead of the key.
 * Saving PSA, On-Call or alert-workflow settings acts at once (settings-aftermath.ts).
 */
import type { z } from '@hono/zod-openapi';
import { AlertSettingsSchema, BrandingSettingsSchema, ClientReportSettingsSchema, MailSettingsSchema, OnCallSettingsSchema, PsaSettingsSchema, ReportSettingsSchema, SlaSettingsSchema } from '../../contract/resources.ts';
import { AlertSettingsPatchSchema, BrandingPatchSchema, ClientReportsPatchSchema, OnCallPatchSchema, PsaPatchSchema, ReportPatchSchema, SlaPatchSchema } from '../../contract/settings.ts';
import type { AppDeps } from '../context.ts';
import { tenantOf } from '../http/auth.ts';
import { apiRoute, json, router } from '../http/route.ts';
import { updateSlaSettings } from '../services/compliance.ts';
import { actOnIntegrationSettings } from '../services/settings-aftermath.ts';
import type { Services } from '../services/index.ts';
import { clientReportsView } from '../services/mail/client-reports.ts';
import { setTenantTimeZone } from '../services/tenants.ts';
import { reportSettingsView } from '../services/weekly-data.ts';

/** GET and PUT declarations of one settings document. */
function settingsRoutePair<P extends string, S extends z.ZodType, B extends z.ZodType>(path: P, name: string, schema: S, body: B) {
  return {
    get: apiRoute('admin', [], { method: 'get', path, summary: `The ${name} settings (secrets are never returned).`, responses: { 200: json(`The ${name} settings.`, schema) } }),
    put: apiRoute('admin', [400, 415, 422], {
      method: 'put',
      path,
      summary: `Change the ${name} settings: send only the fields to change.`,
      request: { body: { required: true, content: { 'application/json': { schema: body } } } },
      responses: { 200: json(`The ${name} settings after the change.`, schema) },
    }),
  };
}

export const slaSettingsRoutes = settingsRoutePair('/sla', 'SLA', SlaSettingsSchema, SlaPatchSchema);
export const reportSettingsRoutes = settingsRoutePair('/reports', 'weekly report', ReportSettingsSchema, ReportPatchSchema);
export const psaSettingsRoutes = settingsRoutePair('/integrations/psa', 'PSA', PsaSettingsSchema, PsaPatchSchema);
export const onCallSettingsRoutes = settingsRoutePair('/integrations/oncall', 'On-Call', OnCallSettingsSchema, OnCallPatchSchema);
export const alertSettingsRoutes = settingsRoutePair('/alerts', 'alert workflow (reminders, ticket reopening)', AlertSettingsSchema, AlertSettingsPatchSchema);
export const brandingSettingsRoutes = settingsRoutePair('/branding', 'branding (the MSP name and colour in the weekly e-mail)', BrandingSettingsSchema, BrandingPatchSchema);
export const clientReportSettingsRoutes = settingsRoutePair(
  '/client-reports',
  "monthly client report (each client's previous month as a PDF, on the given day and hour in the client's timezone)",
  ClientReportSettingsSchema,
  ClientReportsPatchSchema,
);
export const mailSettingsRoute = apiRoute('admin', [], {
  method: 'get',
  path: '/integrations/mail',
  summary: 'Weekly e-mail delivery status (read-only).',
  responses: { 200: json('Whether SMTP is configured, and the delivery status.', MailSettingsSchema) },
});

export function settingsRoutes(deps: AppDeps, services: Services) {
  const { db, clock } = deps;
  const { settings, integrations, sweeper } = services;
  return router()
    .openapi(slaSettingsRoutes.get, async (c) => c.json(await settings.get(tenantOf(c.get('auth')), 'sla', db), 200))
    .openapi(slaSettingsRoutes.put, async (c) => c.json(await updateSlaSettings(db, settings, tenantOf(c.get('auth')), c.req.valid('json'), clock()), 200))
    .openapi(reportSettingsRoutes.get, async (c) => c.json(await reportSettingsView(db, settings, tenantOf(c.get('auth')), clock()), 200))
    .openapi(reportSettingsRoutes.put, async (c) => {
      const tenantId = tenantOf(c.get('auth'));
      const patch = c.req.valid('json');
      await settings.update(tenantId, 'reports', patch, clock());
      if (patch.timezone !== undefined) await setTenantTimeZone(db, tenantId, patch.timezone);
      return c.json(await reportSettingsView(db, settings, tenantId, clock()), 200);
    })
    .openapi(psaSettingsRoutes.get, async (c) => c.json(await integrations.psaSettings.view(tenantOf(c.get('auth'))), 200))
    .openapi(psaSettingsRoutes.put, async (c) => {
      const tenantId = tenantOf(c.get('auth'));
      const view = await integrations.psaSettings.update(tenantId, c.req.valid('json'), clock());
      await actOnIntegrationSettings(db, sweeper, tenantId, 'psa', clock());
      return c.json(view, 200);
    })
    .openapi(onCallSettingsRoutes.get, async (c) => c.json(await integrations.onCallSettings.view(tenantOf(c.get('auth'))), 200))
    .openapi(onCallSettingsRoutes.put, async (c) => {
      const tenantId = tenantOf(c.get('auth'));
      const view = await integrations.onCallSettings.update(tenantId, c.req.valid('json'), clock());
      await actOnIntegrationSettings(db, sweeper, tenantId, 'oncall', clock());
      return c.json(view, 200);
    })
    .openapi(alertSettingsRoutes.get, async (c) => c.json(await settings.get(tenantOf(c.get('auth')), 'alerts', db), 200))
    .openapi(alertSettingsRoutes.put, async (c) => {
      const tenantId = tenantOf(c.get('auth'));
      const stored = await settings.update(tenantId, 'alerts', c.req.valid('json'), clock());
      services.integrations.forgetSettings(tenantId);
      await actOnIntegrationSettings(db, sweeper, tenantId, 'alerts', clock());
      return c.json(stored, 200);
    })
    .openapi(brandingSettingsRoutes.get, async (c) => c.json(await settings.get(tenantOf(c.get('auth')), 'branding', db), 200))
    .openapi(brandingSettingsRoutes.put, async (c) => c.json(await settings.update(tenantOf(c.get('auth')), 'branding', c.req.valid('json'), clock()), 200))
    .openapi(clientReportSettingsRoutes.get, async (c) => c.json(clientReportsView(await settings.get(tenantOf(c.get('auth')), 'clientReports', db)), 200))
    .openapi(clientReportSettingsRoutes.put, async (c) =>
      c.json(clientReportsView(await settings.update(tenantOf(c.get('auth')), 'clientReports', c.req.valid('json'), clock())), 200),
    )
    .openapi(mailSettingsRoute, async (c) => c.json(await integrations.mailStatus(tenantOf(c.get('auth'))), 200));
}
