import type { BusinessHours, DeviceKind, Instant, OnCallRules, SlaState } from './types.ts';

export const DEFAULT_ONCALL_RULES: OnCallRules = {
  enabled: false,
  breachHoursThreshold: 6,
  deviceKinds: ['server'],
  businessHours: { timezone: 'UTC', days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' },
  escalationPolicy: '',
};

/** Local weekday and time in the IANA timezone (DST-correct), start inclusive, end exclusive. */
export function isWithinBusinessHours(now: Instant, hours: BusinessHours): boolean {
  throw new Error('not implemented');
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
 */
export function pageDecision(context: PageContext, rules: OnCallRules): PageDecision {
  throw new Error('not implemented');
}
