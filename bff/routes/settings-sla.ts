/** `GET/PUT /settings/sla` (admin): SLA hours per device kind, tenant-wide and per client. */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../context.ts';
import { requireScope, tenantOf } from '../http/auth.ts';
import { validate } from '../http/validate.ts';
import { updateSlaSettings } from '../services/compliance.ts';
import type { Services } from '../services/index.ts';

const hours = z
  .number({ error: 'hours must be a number' })
  .positive('hours must be greater than 0')
  .max(8760, 'hours must be at most 8760 (one year)');

const overrideHours = hours.nullable().optional();

/**
 * Settings are plain JSON objects, so a client id that names an Object member would be
 * dropped on the way ("__proto__" is stripped by zod, "constructor" and "prototype" by
 * the settings merge): refuse such an override openly instead.
 */
const OBJECT_MEMBER_IDS = new Set(['__proto__', 'constructor', 'prototype']);
const OBJECT_MEMBER_MESSAGE = 'a client id "__proto__", "constructor" or "prototype" cannot carry an SLA override; rename the client';

const clientOverrides = z
  .unknown()
  .superRefine((value, ctx) => {
    if (typeof value === 'object' && value !== null && Object.hasOwn(value, '__proto__')) ctx.addIssue({ code: 'custom', path: ['__proto__'], message: OBJECT_MEMBER_MESSAGE });
  })
  .pipe(
    z
      .record(
        z
          .string()
          .regex(/^[A-Za-z0-9._:@-]{1,200}$/, 'client ids are 1–200 characters of A–Z a–z 0–9 . _ : @ -')
          .refine((id) => !OBJECT_MEMBER_IDS.has(id), OBJECT_MEMBER_MESSAGE),
        z.object({ workstationHours: overrideHours, serverHours: overrideHours, saasHours: overrideHours }).nullable(),
      )
      .refine((clients) => Object.keys(clients).length <= 1000, 'at most 1000 client overrides per request'),
  );

/** A PUT takes only the fields it changes; unknown keys are dropped. */
export const slaPatchSchema = z.object({
  tenant: z.object({ workstationHours: hours.optional(), serverHours: hours.optional(), saasHours: hours.optional() }).optional(),
  clients: clientOverrides.optional(),
});

export function slaSettingsRoutes(deps: AppDeps, services: Services) {
  const { db, clock } = deps;
  return new Hono<AppEnv>()
    .get('/settings/sla', requireScope('admin'), async (c) => c.json(await services.settings.get(tenantOf(c.get('auth')), 'sla', db)))
    .put('/settings/sla', requireScope('admin'), validate('json', slaPatchSchema), async (c) => {
      const tenantId = tenantOf(c.get('auth'));
      return c.json(await updateSlaSettings(db, services.settings, tenantId, c.req.valid('json'), clock()));
    });
}
