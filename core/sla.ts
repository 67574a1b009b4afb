import type { ComplianceSummary, DeviceKind, DeviceState, Instant, SlaHours, SlaOverride, SlaState } from './types.ts';

/** Tenant rules with a client's overrides applied. */
export function slaHoursFor(tenant: SlaHours, override?: SlaOverride | null): SlaHours {
  throw new Error('not implemented');
}

export function maxHoursFor(hours: SlaHours, kind: DeviceKind): number {
  throw new Error('not implemented');
}

/**
 * meeting: last success within the window; breach (since lastSuccess + window, or
 * enrolment + window without any success); pending: enrolled within the window and
 * no success yet (not counted).
 */
export function evaluateSla(kind: DeviceKind, state: DeviceState, hours: SlaHours, now: Instant): SlaState {
  throw new Error('not implemented');
}

export function summarizeCompliance(states: readonly { state: SlaState['state'] }[]): ComplianceSummary {
  throw new Error('not implemented');
}
