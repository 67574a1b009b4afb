/**
 * Why an alert condition no longer holds, in one sentence. Shared by the alert
 * transitions and the PSA ticket note so both say the same thing.
 */
import { storageRatio } from './device-facts.ts';
import { formatPercent, formatUtc } from './format.ts';
import type { AlertType, DeviceProfile, DeviceState, Instant } from './types.ts';

/** "Backup succeeded at 2026-11-24 11:00 UTC", "SaaS consent restored on …", … */
export function resolutionReason(type: AlertType, device: DeviceProfile | null, state: DeviceState, now: Instant): string {
  switch (type) {
    case 'backup_failed':
    case 'backup_missed_schedule':
    case 'backup_overdue':
    case 'saas_backup_overdue':
      if (state.lastJobStatus !== null && state.lastJobStatus !== 'failed' && state.lastSuccessAt !== null) {
        return `Backup succeeded at ${formatUtc(state.lastSuccessAt)}`;
      }
      break;
    case 'storage_quota_exceeded': {
      const ratio = device === null ? null : storageRatio(device, state);
      if (ratio !== null) return `Storage back to ${formatPercent(ratio)} of quota`;
      break;
    }
    case 'saas_consent_expired':
      if (state.saasConsent?.state === 'ok') return `SaaS consent restored on ${formatUtc(state.saasConsent.at)}`;
      break;
    case 'dr_test_failed':
      if (state.lastDrTest?.result === 'passed') return `DR test passed on ${formatUtc(state.lastDrTest.at)}`;
      break;
    case 'device_offline':
      if (state.lastSeenAt !== null) return `Device seen again at ${formatUtc(state.lastSeenAt)}`;
      break;
  }
  return `Condition cleared at ${formatUtc(now)}`;
}
