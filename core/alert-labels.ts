/** Alert types in words (English), for every view that shows them: widgets, mail, PDF, tickets. */
import type { AlertType } from './types.ts';

export const ALERT_TYPE_LABELS: Readonly<Record<AlertType, string>> = {
  backup_failed: 'Backup job failed',
  backup_missed_schedule: 'Backup missed schedule',
  backup_overdue: 'Backup overdue',
  storage_quota_exceeded: 'Storage quota exceeded',
  saas_backup_overdue: 'SaaS backup overdue',
  saas_consent_expired: 'SaaS consent expired',
  dr_test_failed: 'DR test failed',
  device_offline: 'Device offline',
};
