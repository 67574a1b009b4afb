/**
 * `GET/PUT /settings/integrations/psa`, `/settings/integrations/oncall` (admin) and
 * the read-only `GET /settings/integrations/mail` status. Secrets are write-only:
 * GET answers `integrationKeySet` instead of the key.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { ALERT_TYPES, DEVICE_KINDS } from '../../core/types.ts';
import type { AppDeps, AppEnv } from '../context.ts';
import { requireScope, tenantOf } from '../http/auth.ts';
import { validate } from '../http/validate.ts';
import type { Integrations } from '../wiring/integrations.ts';
import type { OnCallSettingsPatch } from '../services/oncall/settings.ts';
import type { PsaSettingsPatch } from '../services/psa/settings.ts';

const httpUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'Use an absolute http:// or https:// URL, e.g. https://psa.example.com/api.');
const integrationKey = z.string().min(8, 'The integration key needs at least 8 characters.').max(512);
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'Use "HH:MM", 24-hour, e.g. "08:00".');
const timezone = z.string().refine((value) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}, 'Use an IANA timezone, e.g. "Europe/Berlin".');

// Read-only fields of the GET document may be sent back; z.object drops them (and any other unknown key).
const psaBody = z.object({
  enabled: z.boolean().optional(),
  baseUrl: httpUrl.optional(),
  integrationKey: integrationKey.optional(),
  failureThreshold: z.number().int().min(1).max(100).optional(),
  mapping: z
    .partialRecord(
      z.enum(ALERT_TYPES),
      z.object({ ticketType: z.string().trim().min(1).max(100), priority: z.enum(['Critical', 'High', 'Medium', 'Low']) }).nullable(),
    )
    .optional(),
});

const onCallBody = z.object({
  enabled: z.boolean().optional(),
  baseUrl: httpUrl.optional(),
  integrationKey: integrationKey.optional(),
  escalationPolicy: z.string().trim().min(1).max(200).optional(),
  breachHoursThreshold: z.number().min(0).max(8760).optional(),
  deviceKinds: z
    .array(z.enum(DEVICE_KINDS))
    .min(1)
    .max(3)
    .refine((kinds) => new Set(kinds).size === kinds.length, 'List each kind once.')
    .optional(),
  businessHours: z
    .object({
      timezone: timezone.optional(),
      days: z
        .array(z.number().int().min(1).max(7))
        .max(7)
        .refine((days) => new Set(days).size === days.length, 'List each ISO weekday (1 Monday – 7 Sunday) once.')
        .optional(),
      start: clock.optional(),
      end: clock.optional(),
    })
    .optional(),
});

export function integrationSettingsRoutes(deps: AppDeps, integrations: Integrations) {
  return new Hono<AppEnv>()
    .get('/settings/integrations/psa', requireScope('admin'), async (c) => c.json(await integrations.psaSettings.view(tenantOf(c.get('auth')))))
    .put('/settings/integrations/psa', requireScope('admin'), validate('json', psaBody), async (c) => {
      const patch: PsaSettingsPatch = c.req.valid('json');
      return c.json(await integrations.psaSettings.update(tenantOf(c.get('auth')), patch, deps.clock()));
    })
    .get('/settings/integrations/oncall', requireScope('admin'), async (c) => c.json(await integrations.onCallSettings.view(tenantOf(c.get('auth')))))
    .put('/settings/integrations/oncall', requireScope('admin'), validate('json', onCallBody), async (c) => {
      const patch: OnCallSettingsPatch = c.req.valid('json');
      return c.json(await integrations.onCallSettings.update(tenantOf(c.get('auth')), patch, deps.clock()));
    })
    .get('/settings/integrations/mail', requireScope('admin'), async (c) => c.json(await integrations.mailStatus(tenantOf(c.get('auth')))));
}
