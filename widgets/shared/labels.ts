/** Words shown for the API's enumerations (English; one place to translate). */
import type { AlertSeverity, AlertState, ComponentName, DeviceKind, HealthStatus, JobStatus, SlaStateName, Weekday } from '../../core/types.ts';

export const STATUS_LABELS: Record<HealthStatus, string> = {
  healthy: 'Healthy',
  warning: 'Warning',
  critical: 'Critical',
  unknown: 'Unknown',
};

export const SEVERITY_LABELS: Record<AlertSeverity, string> = { warning: 'Warning', critical: 'Critical' };

export const ALERT_STATE_LABELS: Record<AlertState, string> = { open: 'Open', acknowledged: 'Acknowledged', resolved: 'Resolved' };

/** Shared with the mail and PDF renderers (core). */
export { ALERT_TYPE_LABELS } from '../../core/alert-labels.ts';

export const KIND_LABELS: Record<DeviceKind, string> = { workstation: 'Workstation', server: 'Server', saas: 'SaaS' };

export const SLA_STATE_LABELS: Record<SlaStateName, string> = { meeting: 'Meeting SLA', breach: 'In breach', pending: 'Pending' };

export const JOB_STATUS_LABELS: Record<JobStatus, string> = {
  success: 'Succeeded',
  warning: 'Completed with warnings',
  failed: 'Failed',
  running: 'Running',
};

export const COMPONENT_LABELS: Record<ComponentName, string> = {
  recency: 'Recency',
  successRate: 'Success rate (7 days)',
  drTest: 'DR test',
  storage: 'Storage',
};

export const WEEKDAY_LABELS: Record<Weekday, string> = {
  monday: 'Monday',
  tuesday: 'Tuesday',
  wednesday: 'Wednesday',
  thursday: 'Thursday',
  friday: 'Friday',
  saturday: 'Saturday',
  sunday: 'Sunday',
};

export { TICKET_PRIORITIES } from '../../core/api.ts';

/** The keys of a label table, typed: the option lists of filters and forms. */
export const keysOf = <K extends string>(labels: Record<K, string>): K[] => Object.keys(labels) as K[];
