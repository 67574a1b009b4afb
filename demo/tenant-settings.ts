/**
 * The demo tenant's settings, applied through the settings API: SLA overrides and
 * weekly report recipients once when seeding, and on every start the PSA and
 * On-Call integrations pointing at this run's stand-ins (their ports change).
 */
import { isWithinBusinessHours } from '../core/oncall.ts';
import type { BusinessHours } from '../core/types.ts';
import type { ApiClient } from './api-client.ts';

const MINUTE = 60_000;

/** Who receives the weekly summary in the demo (delivered to the SMTP inbox stand-in). */
export const REPORT_RECIPIENTS = ['noc@msp.example', 'service-desk-lead@msp.example'];
/** The MSP's own timezone in the demo. */
export const MSP_TIMEZONE = 'America/Chicago';

export interface IntegrationTargets {
  psaUrl: string;
  psaKey: string;
  onCallUrl: string;
  onCallKey: string;
}

/** Data-like settings written once with the fleet. */
export async function applySeedSettings(api: ApiClient): Promise<void> {
  await api.put('/settings/sla', {
    tenant: { workstationHours: 24, serverHours: 12, saasHours: 36 },
    // A regulated client with a stricter server SLA, and one that accepts a looser one for laptops.
    clients: { 'woodgrove-credit-union': { serverHours: 8 }, 'fourth-coffee': { workstationHours: 48 } },
  });
  await api.put('/settings/reports', {
    weeklyEnabled: true,
    recipients: REPORT_RECIPIENTS,
    deliveryDay: 'monday',
    deliveryTime: '08:00',
    timezone: MSP_TIMEZONE,
  });
  await applySeedQuietTimes(api, Date.now());
}

/**
 * Quiet times in the demo (docs/alert-workflow.md): Tailspin Toys' weekly patch night (a recurring maintenance window in
 * the MSP's timezone) and a week-long silence of Fourth Coffee's storage alerts.
 */
export async function applySeedQuietTimes(api: ApiClient, now: number): Promise<void> {
  await api.put('/maintenance/tailspin-patch-night', {
    name: 'Tailspin patch night',
    scope: { clientId: 'tailspin-toys' },
    weekly: { days: [2, 4], start: '22:00', durationMinutes: 180 },
    timezone: MSP_TIMEZONE,
  });
  await api.post('/silences', {
    matchers: { clientId: 'fourth-coffee', type: 'storage_quota_exceeded' },
    endsAt: new Date(now + 7 * 24 * 60 * MINUTE).toISOString(),
    comment: 'Storage upgrade ordered for Fourth Coffee; quota raised on delivery.',
  });
}

/**
 * Points PSA and On-Call at the stand-ins and enables both. Returns the On-Call
 * business hours chosen (see {@link businessHoursOutsideNow}).
 */
export async function applyIntegrationSettings(api: ApiClient, targets: IntegrationTargets, now: number): Promise<BusinessHours> {
  await api.put('/settings/integrations/psa', {
    enabled: true,
    baseUrl: targets.psaUrl,
    integrationKey: targets.psaKey,
    failureThreshold: 3,
  });
  const businessHours = businessHoursOutsideNow(now);
  await api.put('/settings/integrations/oncall', {
    enabled: true,
    baseUrl: targets.onCallUrl,
    integrationKey: targets.onCallKey,
    escalationPolicy: 'msp-infrastructure-primary',
    breachHoursThreshold: 6,
    deviceKinds: ['server'],
    businessHours,
  });
  return businessHours;
}

/** Where a follow-the-sun MSP might staff its desk; one of them is always closed. */
const DESK_TIMEZONES = ['America/Chicago', 'Europe/London', 'Asia/Singapore', 'Australia/Sydney', 'America/Los_Angeles', 'Pacific/Auckland'];

/**
 * Ordinary business hours (Mon–Fri 08:00–18:00) in the timezone, among a few, where
 * `now` is furthest from the desk opening again: pages only fire outside business
 * hours, and a demo should show them whatever time it is started.
 */
export function businessHoursOutsideNow(now: number): BusinessHours {
  let best: { hours: BusinessHours; closedFor: number } | null = null;
  for (const timezone of DESK_TIMEZONES) {
    const hours: BusinessHours = { timezone, days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' };
    let closedFor = 0;
    while (closedFor < 3 * 24 * 60 && !isWithinBusinessHours(now + closedFor * MINUTE, hours)) closedFor += 15;
    if (!best || closedFor > best.closedFor) best = { hours, closedFor };
  }
  return best!.hours;
}
