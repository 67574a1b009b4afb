/**
 * Words shown for the API's enumerations, in the page's language: every entry is a getter
 * calling `msg()`, so a lookup made while rendering reads the active locale (a plain
 * string table would freeze English at import time). The tables stay `Record`s: keys,
 * `Object.keys` and lookups work as before.
 */
import { msg } from '@lit/localize';
import type { AlertSeverity, AlertState, AlertType, ComponentName, DeviceKind, HealthStatus, JobStatus, SlaStateName, Weekday } from '../../core/types.ts';

export const STATUS_LABELS: Record<HealthStatus, string> = {
  get healthy() { return msg('Healthy'); },
  get warning() { return msg('Warning'); },
  get critical() { return msg('Critical'); },
  get unknown() { return msg('Unknown'); },
};

export const SEVERITY_LABELS: Record<AlertSeverity, string> = {
  get warning() { return msg('Warning'); },
  get critical() { return msg('Critical'); },
};

export const ALERT_STATE_LABELS: Record<AlertState, string> = {
  get open() { return msg('Open'); },
  get acknowledged() { return msg('Acknowledged'); },
  get resolved() { return msg('Resolved'); },
};

/** The widgets' words for alert types; the mail and PDF renderers keep core's English table. */
export const ALERT_TYPE_LABELS: Readonly<Record<AlertType, string>> = {
  get backup_failed() { return msg('Backup job failed'); },
  get backup_missed_schedule() { return msg('Backup missed schedule'); },
  get backup_overdue() { return msg('Backup overdue'); },
  get storage_quota_exceeded() { return msg('Storage quota exceeded'); },
  get saas_backup_overdue() { return msg('SaaS backup overdue'); },
  get saas_consent_expired() { return msg('SaaS consent expired'); },
  get dr_test_failed() { return msg('DR test failed'); },
  get device_offline() { return msg('Device offline'); },
};

export const KIND_LABELS: Record<DeviceKind, string> = {
  get workstation() { return msg('Workstation'); },
  get server() { return msg('Server'); },
  get saas() { return msg('SaaS'); },
};

export const SLA_STATE_LABELS: Record<SlaStateName, string> = {
  get meeting() { return msg('Meeting SLA'); },
  get breach() { return msg('In breach'); },
  get pending() { return msg('Pending'); },
};

export const JOB_STATUS_LABELS: Record<JobStatus, string> = {
  get success() { return msg('Succeeded'); },
  get warning() { return msg('Completed with warnings'); },
  get failed() { return msg('Failed'); },
  get running() { return msg('Running'); },
};

/** A scheduled run's result in the 14-run strip. */
export const RUN_RESULT_LABELS: Record<'success' | 'warning' | 'failed' | 'missed' | 'skipped' | 'pending', string> = {
  get success() { return msg('success'); },
  get warning() { return msg('warning'); },
  get failed() { return msg('failed'); },
  get missed() { return msg('missed'); },
  get skipped() { return msg('skipped'); },
  get pending() { return msg('pending'); },
};

export const COMPONENT_LABELS: Record<ComponentName, string> = {
  get recency() { return msg('Recency'); },
  get successRate() { return msg('Success rate (7 days)'); },
  get drTest() { return msg('DR test'); },
  get storage() { return msg('Storage'); },
};

export const WEEKDAY_LABELS: Record<Weekday, string> = {
  get monday() { return msg('Monday'); },
  get tuesday() { return msg('Tuesday'); },
  get wednesday() { return msg('Wednesday'); },
  get thursday() { return msg('Thursday'); },
  get friday() { return msg('Friday'); },
  get saturday() { return msg('Saturday'); },
  get sunday() { return msg('Sunday'); },
};

export { TICKET_PRIORITIES } from '../../core/api.ts';

/** The keys of a label table, typed: the option lists of filters and forms. */
export const keysOf = <K extends string>(labels: Record<K, string>): K[] => Object.keys(labels) as K[];
