/**
 * `PUT /settings/*` bodies. A PUT carries only the fields it changes; unknown keys
 * (e.g. read-only fields of the GET document sent back) are dropped.
 */
import { hasControlCharacters } from '../core/field-issues.ts';
import { integrationKeyIssue } from '../core/integration-key.ts';
import { ALERT_TYPES, DEVICE_KINDS } from '../core/types.ts';
import { clockTime, ticketPriority, timeZone, weekday, z } from './common.ts';

const slaHours = z
  .number({ error: 'hours must be a number' })
  .positive('hours must be greater than 0')
  .max(8760, 'hours must be at most 8760 (one year)');
const overrideHours = slaHours.nullable().optional();

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
  )
  .openapi({ description: 'Per-client overrides; null removes an override (or one of its hours).' });

/** `PUT /settings/sla` */
export const SlaPatchSchema = z.object({
  tenant: z.object({ workstationHours: slaHours.optional(), serverHours: slaHours.optional(), saasHours: slaHours.optional() }).optional(),
  clients: clientOverrides.optional(),
});

/** `PUT /settings/reports` */
export const ReportPatchSchema = z.object({
  weeklyEnabled: z.boolean({ error: 'weeklyEnabled must be true or false' }).optional(),
  recipients: z
    .array(z.email({ error: 'each recipient must be an e-mail address' }).max(320))
    .max(50, 'at most 50 recipients')
    .transform((list) => [...new Map(list.map((address) => [address.toLowerCase(), address])).values()])
    .optional(),
  deliveryDay: weekday.optional(),
  deliveryTime: clockTime.optional(),
  timezone: timeZone.optional(),
});

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
/** The key we send to On-Call: its format is On-Call's to choose. */
const integrationKey = z.string().min(8, 'The integration key needs at least 8 characters.').max(512).openapi({ writeOnly: true });
/** The key the PSA presents to us (`X-Integration-Key`): a credential, so core's key rule applies. */
const psaIntegrationKey = z
  .string()
  .max(512)
  .superRefine((key, ctx) => {
    const issue = integrationKeyIssue(key);
    if (issue) ctx.addIssue({ code: 'custom', message: issue });
  })
  .openapi({ writeOnly: true, minLength: 24, description: 'At least 24 characters, 10 of them different, not one piece repeated (a random key).' });

/** `PUT /settings/integrations/psa` */
export const PsaPatchSchema = z.object({
  enabled: z.boolean().optional(),
  baseUrl: httpUrl.optional(),
  integrationKey: psaIntegrationKey.optional(),
  failureThreshold: z.number().int().min(1).max(100).optional(),
  mapping: z.partialRecord(z.enum(ALERT_TYPES), z.object({ ticketType: z.string().trim().min(1).max(100), priority: ticketPriority }).nullable()).optional(),
});

/** `PUT /settings/integrations/oncall` */
export const OnCallPatchSchema = z.object({
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
      timezone: timeZone.optional(),
      days: z
        .array(z.number().int().min(1).max(7))
        .max(7)
        .refine((days) => new Set(days).size === days.length, 'List each ISO weekday (1 Monday – 7 Sunday) once.')
        .optional(),
      start: clockTime.optional(),
      end: clockTime.optional(),
    })
    .optional(),
});

/** `PUT /settings/alerts` */
export const BrandingPatchSchema = z.object({
  mspName: z
    .string()
    .trim()
    .min(1, 'mspName must not be empty (null uses the tenant name)')
    .max(100, 'mspName must be at most 100 characters')
    .refine((name) => !hasControlCharacters(name), 'mspName must not contain control characters')
    .nullable()
    .optional(),
  accentColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'accentColor must be "#rrggbb", e.g. "#2563eb"').optional(),
});

const recipientList = z
  .array(z.email({ error: 'each recipient must be an e-mail address' }).max(320))
  .max(50, 'at most 50 recipients')
  .transform((list) => [...new Map(list.map((address) => [address.toLowerCase(), address])).values()]);

/** `PUT /settings/client-reports`: a client with recipients gets its previous month's PDF; null or [] stops its reports. */
export const ClientReportsPatchSchema = z.object({
  enabled: z.boolean({ error: 'enabled must be true or false' }).optional(),
  day: z.number({ error: 'day must be a number' }).int('day must be a whole day of the month').min(1, 'day must be 1–28').max(28, 'day must be 1–28 (every month has it)').optional(),
  hour: z.number({ error: 'hour must be a number' }).int('hour must be a whole hour').min(0, 'hour must be 0–23').max(23, 'hour must be 0–23').optional(),
  recipientsByClient: z
    .unknown()
    .superRefine((value, ctx) => {
      if (typeof value === 'object' && value !== null && Object.hasOwn(value, '__proto__')) ctx.addIssue({ code: 'custom', path: ['__proto__'], message: 'a client id "__proto__" cannot have recipients; rename the client' });
    })
    .pipe(
      z
        .record(
          z
            .string()
            .regex(/^[A-Za-z0-9._:@-]{1,200}$/, 'client ids are 1–200 characters of A–Z a–z 0–9 . _ : @ -')
            .refine((id) => !OBJECT_MEMBER_IDS.has(id), 'a client id "__proto__", "constructor" or "prototype" cannot have recipients; rename the client'),
          recipientList.nullable(),
        )
        .refine((clients) => Object.keys(clients).length <= 1000, 'at most 1000 clients per request'),
    )
    .optional()
    .openapi({ description: 'Recipients per client id; only the clients named change. null or [] stops that client\'s report.', example: { acme: ['it@acme.example'] } }),
});

export const AlertSettingsPatchSchema = z.object({
  reminderHours: z.number().min(0, 'reminderHours must be 0 (off) or more').max(8760, 'reminderHours must be at most 8760 (one year)').optional(),
  reopenDays: z.number().int('reopenDays must be whole days').min(0, 'reopenDays must be 0 (never) or more').max(365, 'reopenDays must be at most 365').optional(),
});

/** `clients` as its output: the first stage of the pipe (which sees `__proto__`) takes anything. */
export type SlaPatch = Omit<z.input<typeof SlaPatchSchema>, 'clients'> & { clients?: z.output<typeof clientOverrides> };
export type ReportPatch = z.input<typeof ReportPatchSchema>;
export type PsaPatch = z.input<typeof PsaPatchSchema>;
export type OnCallPatch = z.input<typeof OnCallPatchSchema>;
