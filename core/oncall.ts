import { breachHours } from './sla.ts';
import { HOUR, type BusinessHours, type DeviceKind, type Instant, type OnCallRules, type SlaState } from './types.ts';
import { addDays, isoWeekday, localDateTime, parseClock, zonedInstant } from './zoned-time.ts';

export const DEFAULT_ONCALL_RULES: OnCallRules = {
  enabled: false,
  breachHoursThreshold: 6,
  deviceKinds: ['server'],
  businessHours: { timezone: 'UTC', days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' },
  escalationPolicy: '',
};

/**
 * Local weekday and time in the IANA timezone (DST-correct), start inclusive, end exclusive.
 * An `end` before `start` spans midnight: the window opens on a listed day and runs
 * into the next morning. `start` equal to `end` is never within.
 */
export function isWithinBusinessHours(now: Instant, hours: BusinessHours): boolean {
  const local = localDateTime(now, hours.timezone);
  const minute = local.hour * 60 + local.minute;
  const start = parseClock(hours.start);
  const end = parseClock(hours.end);
  if (start <= end) return hours.days.includes(local.weekday) && minute >= start && minute < end;
  const yesterday = isoWeekday(addDays(local, -1));
  return (hours.days.includes(local.weekday) && minute >= start) || (hours.days.includes(yesterday) && minute < end);
}

// A DST change moves the wall clock by at most this much (1 h almost everywhere).
const MAX_WALL_CLOCK_JUMP_MS = 2 * HOUR;

/**
 * The first instant after `now` and no later than `horizon` at which
 * `isWithinBusinessHours` may change (the local start, end or midnight), or null when
 * none falls in `(now, horizon]`. One wall-clock reading decides the common case, a
 * boundary hours away; only a near one is located exactly, DST included. A boundary
 * inside the hour an autumn change repeats counts at its first occurrence only (the
 * evaluator's breach re-check comes within five minutes of the second).
 */
export function nextBusinessHoursChange(now: Instant, hours: BusinessHours, horizon: Instant): Instant | null {
  const local = localDateTime(now, hours.timezone);
  const minute = local.hour * 60 + local.minute + local.second / 60;
  const boundaries = [parseClock(hours.start), parseClock(hours.end), 24 * 60];
  let nearest = Infinity;
  for (const boundary of boundaries) nearest = Math.min(nearest, (boundary - minute + 24 * 60) % (24 * 60) || 24 * 60);
  if (nearest * 60_000 - MAX_WALL_CLOCK_JUMP_MS > horizon - now) return null;
  let next = Infinity;
  for (const boundary of boundaries) {
    const at = zonedInstant(local, boundary, hours.timezone);
    if (at > now && at < next) next = at;
  }
  return next <= horizon ? next : null;
}

export interface PageContext {
  kind: DeviceKind;
  sla: SlaState;
  /** A trigger was sent for the current breach and not resolved yet. */
  paged: boolean;
  now: Instant;
}

export type PageDecision = { action: 'trigger'; breachHours: number } | { action: 'resolve' } | null;

/**
 * trigger: kind included, in breach longer than the threshold, outside business hours,
 * not paged yet. resolve: paged and the device is meeting its SLA again.
 * A page stays triggered while the breach lasts, into business hours too; nothing at
 * all while the integration is disabled.
 */
export function pageDecision(context: PageContext, rules: OnCallRules): PageDecision {
  const { sla, now } = context;
  if (!rules.enabled) return null;
  if (context.paged) return sla.state === 'breach' ? null : { action: 'resolve' };
  if (!rules.deviceKinds.includes(context.kind) || sla.state !== 'breach' || sla.breachSince === null) return null;
  if ((now - sla.breachSince) / HOUR <= rules.breachHoursThreshold || isWithinBusinessHours(now, rules.businessHours)) return null;
  return { action: 'trigger', breachHours: breachHours(sla.breachSince, now) };
}
