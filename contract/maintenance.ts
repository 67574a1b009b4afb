/**
 * Maintenance windows and silences (docs/alert-workflow.md): request and response bodies. The edge
 * checks the JSON shape; core's `maintenanceWindowIssues` and `silenceIssues` check the
 * rules, each finding a 422 naming its field.
 */
import { MAINTENANCE_DEVICES_MAX, MAINTENANCE_NAME_MAX } from '../core/maintenance-validation.ts';
import { SILENCE_COMMENT_MAX } from '../core/silences.ts';
import { isoTime, isoTimeWithOffset, page, z } from './common.ts';

const id = z.string().max(200);
const recurrence = z
  .object({
    days: z.array(z.number()).max(31).openapi({ description: 'Weekly: ISO weekdays 1 (Monday)–7; monthly: 1–31 or -1 (last day).' }),
    start: z.string().max(5).openapi({ description: 'Local start "HH:MM".', example: '22:00' }),
    durationMinutes: z.number().openapi({ description: 'Elapsed minutes, 1 to 10080 (7 days).' }),
  })
  .strict();
const scope = z
  .object({
    clientId: id.optional(),
    deviceIds: z.array(id).max(MAINTENANCE_DEVICES_MAX, `scope.deviceIds may list at most ${MAINTENANCE_DEVICES_MAX} devices`).optional(),
    policyId: id.optional(),
  })
  .strict()
  .openapi('MaintenanceScope', { description: 'Every field given must match; at least one is required.' });

/** `PUT /maintenance/{id}`: one-off (`start`, `end`) or recurring (`weekly` or `monthly`, with `timezone`). */
export const MaintenanceWindowBodySchema = z
  .object({
    // The limits core enforces, so the document states the ones that hold.
    name: z.string().max(MAINTENANCE_NAME_MAX, `name must be at most ${MAINTENANCE_NAME_MAX} characters`),
    scope,
    start: isoTimeWithOffset('start').optional().openapi({ description: 'One-off: the start (inclusive), with an offset (Z or +01:00).' }),
    end: isoTimeWithOffset('end').optional().openapi({ description: 'One-off: the end (exclusive), with an offset; the device is evaluated again then.' }),
    weekly: recurrence.optional(),
    monthly: recurrence.optional(),
    timezone: z.string().max(100).optional().openapi({ description: 'IANA timezone of a recurring window.', example: 'Europe/Berlin' }),
  })
  .strict()
  .openapi('MaintenanceWindowBody');

export const MaintenanceWindowSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    scope,
    start: isoTime.optional(),
    end: isoTime.optional(),
    weekly: recurrence.optional(),
    monthly: recurrence.optional(),
    timezone: z.string().optional(),
    /** On now. */
    active: z.boolean(),
    /** The next occurrences that have not ended (the current one first), at most 5. */
    next: z.array(z.object({ start: isoTime, end: isoTime })),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .openapi('MaintenanceWindow');

const matchers = z
  .object({ clientId: id.optional(), deviceId: id.optional(), type: z.string().max(100).optional() })
  .strict()
  .openapi('SilenceMatchers', { description: 'Every matcher given must match; at least one is required.' });

/** `POST /silences`. */
export const SilenceBodySchema = z
  .object({
    matchers,
    startsAt: isoTimeWithOffset('startsAt').optional().openapi({ description: 'With an offset (Z or +01:00). Default: now.' }),
    endsAt: isoTimeWithOffset('endsAt').openapi({ description: 'With an offset (Z or +01:00).' }),
    comment: z.string().max(SILENCE_COMMENT_MAX, `comment must be at most ${SILENCE_COMMENT_MAX} characters`),
  })
  .strict()
  .openapi('SilenceBody');

export const SilenceSchema = z
  .object({
    id: z.string(),
    matchers,
    startsAt: isoTime,
    endsAt: isoTime,
    comment: z.string(),
    /** The API key (`key:<name>`) or embed token that created it. */
    createdBy: z.string(),
    createdAt: isoTime,
    state: z.enum(['pending', 'active', 'expired']),
  })
  .openapi('Silence');

export const MaintenanceWindowPageSchema = page(MaintenanceWindowSchema);
export const SilencePageSchema = page(SilenceSchema);
