/**
 * Domain types shared by every part of Backup Health.
 *
 * Times inside `core/` are epoch milliseconds (UTC), named `…At`; the BFF converts
 * them to ISO-8601 strings at the API edge. `core/` never reads the clock: every
 * evaluation takes `now` as an argument.
 */

import type { SchedulePosition } from './schedule-position.ts';
import type { DeviceSchedule } from './schedule-spec.ts';

/** Epoch milliseconds, UTC. */
export type Instant = number;

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export type DeviceKind = 'workstation' | 'server' | 'saas';
export const DEVICE_KINDS: readonly DeviceKind[] = ['workstation', 'server', 'saas'];

export type JobStatus = 'success' | 'warning' | 'failed' | 'running';
export type CompletedJobStatus = Exclude<JobStatus, 'running'>;
export type DrTestResult = 'passed' | 'failed';
export type ConsentState = 'ok' | 'expired';

export type HealthStatus = 'healthy' | 'warning' | 'critical' | 'unknown';
export const HEALTH_STATUSES: readonly HealthStatus[] = ['healthy', 'warning', 'critical', 'unknown'];

/** What the health and alert rules need to know about a device's configuration. */
export interface DeviceProfile {
  kind: DeviceKind;
  /** Policy interval in hours (> 0). */
  intervalHours: number;
  /** Storage quota in bytes, if any (a storage report's quota wins when newer). */
  quotaBytes: number | null;
  /** The policy's schedule in the client's timezone; absent: every `intervalHours` (Part I). */
  schedule?: DeviceSchedule;
}

/** Completed jobs per UTC day, for the rolling 7-day success rate. */
export interface DayBucket {
  /** UTC day number: Math.floor(endedAt / DAY). */
  day: number;
  ok: number;
  failed: number;
}

/**
 * The incremental summary of one device's history. The BFF persists it per device
 * and folds each new event into it (see `history.ts`), so evaluation never rescans
 * job history: a sweep is O(devices).
 */
export interface DeviceState {
  enrolledAt: Instant;
  /** First job ever reported (any status, running included). */
  firstJobAt: Instant | null;
  /** End of the newest completed (success/warning/failed) job. */
  lastCompletedAt: Instant | null;
  /** Status of the newest completed job. */
  lastJobStatus: CompletedJobStatus | null;
  /** End of the newest success/warning job. */
  lastSuccessAt: Instant | null;
  /** End of the newest failed job. */
  lastFailureAt: Instant | null;
  /** Newest completed jobs that failed in a row (0 when the newest succeeded). */
  consecutiveFailures: number;
  /** End of the first failure of the current streak, null without a streak. */
  failureStreakSince: Instant | null;
  /** Completed jobs per UTC day; only the last 8 days are kept. */
  daily: DayBucket[];
  lastDrTest: { at: Instant; result: DrTestResult } | null;
  storage: { at: Instant; usedBytes: number; quotaBytes: number | null } | null;
  saasConsent: { at: Instant; state: ConsentState } | null;
  lastCheckinAt: Instant | null;
  /** Newest sign of life of any kind: a job's start or end, a check-in, a ping. */
  lastSeenAt: Instant | null;
  /**
   * Calendar schedules: the earliest slot after the last success's grace whose window
   * `[slot − grace, slot + grace]` saw a sign of life (a run the device was on for).
   */
  attendedSlot: Instant | null;
  /** Per-run merge: the newest run, so a retry can revise what it counted. */
  run: RunTally | null;
}

/** The newest run of a per-run-merge policy and what it counted. */
export interface RunTally {
  /** Calendar: the run's slot; interval: the end of its first job. */
  key: Instant;
  /** End of the run's newest job (interval runs chain results within the grace). */
  lastAt: Instant;
  /** UTC day bucket the run counts in (its first job's end). */
  day: number;
  /** Statuses seen in the run, as bits: 1 success, 2 warning, 4 failed. */
  seen: number;
  /** Status of the run's newest job. */
  lastStatus: CompletedJobStatus;
  /** The failure streak, its start and the newest failed run before this run. */
  streakBefore: number;
  streakSinceBefore: Instant | null;
  failureBefore: Instant | null;
}

/** A completed job as the history fold sees it. */
export interface CompletedJob {
  status: CompletedJobStatus;
  startedAt: Instant;
  endedAt: Instant;
}

export type ComponentName = 'recency' | 'successRate' | 'drTest' | 'storage';

export interface ScoreComponent {
  /** 0..1 */
  value: number;
  /** 0..1; the four weights sum to 1. */
  weight: number;
  /** value × weight × 100, rounded to one decimal. */
  points: number;
}

export interface Health {
  status: HealthStatus;
  /** Integer 0–100, inside the status band. */
  score: number;
  components: Record<ComponentName, ScoreComponent>;
  /** Human-readable reasons, most important first. */
  reasons: string[];
  lastSuccessAt: Instant | null;
  consecutiveFailures: number;
}

// ---------------------------------------------------------------- SLA

/** Maximum hours since the last successful backup, per device kind. */
export interface SlaHours {
  workstationHours: number;
  serverHours: number;
  saasHours: number;
}
export type SlaOverride = Partial<SlaHours>;

export const DEFAULT_SLA: SlaHours = { workstationHours: 24, serverHours: 12, saasHours: 36 };

export type SlaStateName = 'meeting' | 'breach' | 'pending';

export interface SlaState {
  state: SlaStateName;
  /** Hours allowed for this device's kind. */
  maxHours: number;
  /** When the breach began (breach only). */
  breachSince: Instant | null;
}

export interface ComplianceSummary {
  meeting: number;
  breach: number;
  pending: number;
  /** meeting / (meeting + breach) × 100, one decimal; null when nothing is counted. */
  percent: number | null;
}

// ---------------------------------------------------------------- alerts

export type AlertType =
  | 'backup_failed'
  | 'backup_missed_schedule'
  | 'backup_overdue'
  | 'storage_quota_exceeded'
  | 'saas_backup_overdue'
  | 'saas_consent_expired'
  | 'dr_test_failed'
  | 'device_offline';

export const ALERT_TYPES: readonly AlertType[] = [
  'backup_failed',
  'backup_missed_schedule',
  'backup_overdue',
  'storage_quota_exceeded',
  'saas_backup_overdue',
  'saas_consent_expired',
  'dr_test_failed',
  'device_offline',
];

export type AlertSeverity = 'warning' | 'critical';
export type AlertState = 'open' | 'acknowledged' | 'resolved';

/** An alert that is not resolved yet (open or acknowledged). */
export interface ActiveAlert {
  type: AlertType;
  severity: AlertSeverity;
  state: Exclude<AlertState, 'resolved'>;
}

/** A condition that currently holds for a device. */
export interface AlertCondition {
  type: AlertType;
  severity: AlertSeverity;
  /** When the condition began (e.g. the failed job's end, lastSuccess + 1.5 × interval). */
  since: Instant;
  /** One line for people: "3 consecutive failures since 2026-11-20 04:00 UTC". */
  reason: string;
  /** What a technician should do. */
  recommendedAction: string;
}

export type AlertTransition =
  | { action: 'open'; type: AlertType; severity: AlertSeverity; at: Instant; triggeredAt: Instant; reason: string; recommendedAction: string }
  | { action: 'escalate'; type: AlertType; from: AlertSeverity; severity: AlertSeverity; at: Instant; reason: string; recommendedAction: string }
  | { action: 'resolve'; type: AlertType; at: Instant; reason: string };

/** Everything the alert rules look at for one device. */
export interface AlertInput {
  device: DeviceProfile;
  state: DeviceState;
  /** SLA hours in force for the device's client (backup_overdue uses them). */
  sla: SlaHours;
  active: ActiveAlert[];
  /** The device's schedule position at the evaluation time, when the caller computed it already. */
  position?: SchedulePosition;
}

// ---------------------------------------------------------------- integrations

/** PSA ticket priorities, highest first: the one list (the type, the edge's enum and the settings form read it). */
export const TICKET_PRIORITIES = ['Critical', 'High', 'Medium', 'Low'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

export interface TicketMapping {
  ticketType: string;
  priority: TicketPriority;
}

export interface PsaRules {
  enabled: boolean;
  /** Consecutive failures before backup_failed opens a ticket (default 3). */
  failureThreshold: number;
  /** Per alert type: the ticket to open, or null for none. Missing types: none. */
  mapping: Partial<Record<AlertType, TicketMapping | null>>;
}

export interface BusinessHours {
  /** IANA timezone, e.g. "America/New_York". */
  timezone: string;
  /** ISO weekdays 1 (Monday) – 7 (Sunday). */
  days: number[];
  /** "HH:MM", local time. */
  start: string;
  /** "HH:MM", local time; end is exclusive. */
  end: string;
}

export interface OnCallRules {
  enabled: boolean;
  /** Page when the breach has lasted longer than this many hours (default 6). */
  breachHoursThreshold: number;
  deviceKinds: DeviceKind[];
  businessHours: BusinessHours;
  escalationPolicy: string;
}

// ---------------------------------------------------------------- weekly report

/** Weekdays as the weekly e-mail schedule names them, Monday first (index + 1 is the ISO weekday). */
export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface WeeklySchedule {
  deliveryDay: Weekday;
  /** "HH:MM" local time. */
  deliveryTime: string;
  timezone: string;
}
