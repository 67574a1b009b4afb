/**
 * Validation of inventory input (clients, policies, devices), shared by the PUT
 * routes, the CSV import and the event contract (device ids).
 */
import { z } from 'zod';
import { timeZone } from '../../contract/common.ts';
import { MERGE_MODES, MERGE_RULES } from '../../core/schedule-spec.ts';
import { hasControlCharacters } from '../../core/field-issues.ts';
import { DEVICE_KINDS } from '../../core/types.ts';
import { PING_SLUG_PATTERN } from '../inbound/ping/ping-keys.ts';

/** Ids of clients, policies and devices: 1–200 characters of A–Z a–z 0–9 . _ : @ -. */
export const ID_PATTERN = /^[A-Za-z0-9._:@-]{1,200}$/;

/** Ids become keys of settings documents (per-client SLA overrides): JavaScript's own keys cannot be ids. */
const RESERVED_IDS = new Set(['__proto__', 'constructor', 'prototype']);

export const resourceId = z
  .string()
  .regex(ID_PATTERN, 'Must be 1–200 characters of A–Z, a–z, 0–9, ".", "_", ":", "@" or "-".')
  .refine((id) => !RESERVED_IDS.has(id), 'This id is reserved; choose another.');

// Names reach PSA ticket summaries, pages, mails and CSVs: a line break or escape
// in a name could forge lines there, so they are refused here.
const name = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((value) => !hasControlCharacters(value), 'Must not contain control characters (line breaks, tabs or escapes).');
const intervalHours = z.number().positive().max(8_760);
const quotaBytes = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** PUT /clients/:id */
export const clientBody = z.object({ name, timezone: timeZone.optional() });
// Shapes only: core's scheduleProblems judges days, times, cron lines and ranges (422 naming the field).
const calendarDays = z.array(z.number().int()).min(1).max(31);
const calendarTimes = z.array(z.string().max(5)).min(1).max(48);
export const schedule = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('interval'), hours: z.number() }),
  z.object({ kind: z.literal('weekly'), days: calendarDays, times: calendarTimes }),
  z.object({ kind: z.literal('monthly'), days: calendarDays, times: calendarTimes }),
  z.object({ kind: z.literal('cron'), expression: z.string().max(200) }),
]);

/**
 * PUT /policies/:id: a schedule (interval, weekly, monthly or cron) with grace, offline
 * skipping and per-run merge; `intervalHours` alone (> 0, at most a year) still means an
 * interval schedule.
 */
export const policyBody = z.object({
  name,
  schedule: schedule.optional(),
  intervalHours: intervalHours.optional(),
  graceHours: z.number().nullish(),
  offline: z.object({ skipWhenOffline: z.boolean(), alertAfterDays: z.number().optional() }).nullish(),
  merge: z.enum(MERGE_MODES as ['each-job', 'per-run']).optional(),
  mergeRule: z.enum(MERGE_RULES as ['last', 'worst', 'best', 'mixed-is-warning']).optional(),
});
/** PUT /devices/:id */
export const deviceBody = z.object({
  clientId: resourceId,
  name,
  kind: z.enum(DEVICE_KINDS as ['workstation', 'server', 'saas']),
  policyId: resourceId,
  quotaBytes: quotaBytes.nullish(),
  pingSlug: z.string().regex(PING_SLUG_PATTERN, 'Must be 1–200 characters of a–z, 0–9, ".", "_", ":", "@" or "-".').optional(),
});

export type ClientBody = z.infer<typeof clientBody>;
export type PolicyBody = z.infer<typeof policyBody>;
export type DeviceBody = z.infer<typeof deviceBody>;

const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const csvNumber = (schema: z.ZodNumber) => z.preprocess((value) => {
  const blank = blankToUndefined(value);
  return typeof blank === 'string' ? Number(blank.trim()) : blank;
}, schema.optional());

/** One data row of POST /import/devices (all CSV cells are strings). */
export const csvDeviceRow = z.object({
  id: resourceId,
  name,
  clientId: resourceId,
  kind: z.enum(DEVICE_KINDS as ['workstation', 'server', 'saas']),
  policyId: resourceId,
  quotaBytes: csvNumber(quotaBytes),
  clientName: z.preprocess(blankToUndefined, name.optional()),
  policyName: z.preprocess(blankToUndefined, name.optional()),
  intervalHours: csvNumber(intervalHours),
  /** A new policy's schedule in the cell notation (core/schedule-notation.ts), instead of intervalHours. */
  schedule: z.preprocess(blankToUndefined, z.string().max(200).optional()),
});
export type CsvDeviceRow = z.infer<typeof csvDeviceRow>;
