import { round1 } from './format.ts';
import type { SchedulePosition } from './schedule-position.ts';
import { HOUR, type ComplianceSummary, type DeviceKind, type DeviceState, type Instant, type SlaHours, type SlaOverride, type SlaState } from './types.ts';

/** Tenant rules with a client's overrides applied: every override field that is a number wins. */
export function slaHoursFor(tenant: SlaHours, override?: SlaOverride | null): SlaHours {
  return {
    workstationHours: pick(tenant, override, 'workstationHours'),
    serverHours: pick(tenant, override, 'serverHours'),
    saasHours: pick(tenant, override, 'saasHours'),
  };
}

// Hot-path helpers live at module level rather than as closures: every evaluation
// calls them, and a named closure is a fresh function object per call (under tsx,
// also a defineProperty for its name).
function pick(tenant: SlaHours, override: SlaOverride | null | undefined, key: keyof SlaHours): number {
  const value = override?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : tenant[key];
}

/** The SLA window in hours for a device kind. */
export function maxHoursFor(hours: SlaHours, kind: DeviceKind): number {
  switch (kind) {
    case 'workstation':
      return hours.workstationHours;
    case 'server':
      return hours.serverHours;
    case 'saas':
      return hours.saasHours;
  }
}

/**
 * meeting: last success within the window; breach (since lastSuccess + window, or
 * enrolment + window without any success); pending: enrolled within the window and
 * no success yet (not counted). Both limits are inclusive: exactly `maxHours` still meets.
 *
 * With a schedule `position` (calendar schedules), a breach holds only while the
 * device is late, and begins no earlier than that; an offline device that is not
 * late is pending. Without one, the hour rule alone applies (interval schedules).
 */
export function evaluateSla(kind: DeviceKind, state: DeviceState, hours: SlaHours, now: Instant, position?: SchedulePosition): SlaState {
  const maxHours = maxHoursFor(hours, kind);
  const windowEnd = slaWindowEnd(state, maxHours);
  const gateFrom = position === undefined ? -Infinity : position.ageRulesFrom;
  if (position?.offlineSince != null && !position.late) return { state: 'pending', maxHours, breachSince: null };
  if (now <= windowEnd || now < gateFrom) return { state: state.lastSuccessAt === null ? 'pending' : 'meeting', maxHours, breachSince: null };
  return { state: 'breach', maxHours, breachSince: Math.max(windowEnd, gateFrom) };
}

/**
 * The last instant that still meets the SLA: the last success (else enrolment) plus
 * the window. The breach begins right after it and is dated from it.
 */
export function slaWindowEnd(state: DeviceState, maxHours: number): Instant {
  return (state.lastSuccessAt ?? state.enrolledAt) + maxHours * HOUR;
}

/**
 * Hours in breach at `now`, to one decimal: the one rounding that the compliance
 * report, its exports, the weekly mail and On-Call pages all show.
 */
export function breachHours(breachSince: Instant, now: Instant): number {
  return round1((now - breachSince) / HOUR);
}

/** Counts per state; percent = meeting / (meeting + breach) × 100 to one decimal, null when nothing counts. */
export function summarizeCompliance(states: readonly { state: SlaState['state'] }[]): ComplianceSummary {
  const counts = { meeting: 0, breach: 0, pending: 0 };
  for (const { state } of states) counts[state] += 1;
  return complianceOfCounts(counts);
}

/** The same summary from counts already made (roll-ups kept per client). */
export function complianceOfCounts(counts: Record<SlaState['state'], number>): ComplianceSummary {
  const { meeting, breach, pending } = counts;
  const counted = meeting + breach;
  return { meeting, breach, pending, percent: counted === 0 ? null : round1((meeting / counted) * 100) };
}
