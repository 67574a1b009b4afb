/**
 * Backup Health's domain engine: pure functions of (inputs, now). No I/O.
 * @module
 */
export * from './types.ts';
export { emptyDeviceState, applyJob, noteJobSeen, applyDrTest, applyStorage, applyConsent, applyCheckin, applyEvent, eventTime, summarizeHistory } from './history.ts';
export { isKnown, scheduleReference, effectiveQuota, storageRatio } from './device-facts.ts';
export type { HistoryEvent } from './history.ts';
export { evaluateHealth, SCORE_WEIGHTS, STATUS_BANDS } from './health.ts';
export { alertConditions, evaluateAlerts, RECOMMENDED_ACTIONS } from './alerts.ts';
export { resolutionReason } from './alert-resolution.ts';
export { slaHoursFor, maxHoursFor, evaluateSla, summarizeCompliance, complianceOfCounts } from './sla.ts';
export { ticketDecision, DEFAULT_TICKET_MAPPING, DEFAULT_PSA_RULES } from './psa.ts';
export type { TicketContext, TicketDecision } from './psa.ts';
export { isWithinBusinessHours, pageDecision, DEFAULT_ONCALL_RULES } from './oncall.ts';
export type { PageContext, PageDecision } from './oncall.ts';
export { latestDeliverySlot, nextDeliverySlot, deliveryWeekKey, buildWeeklyReport } from './weekly-report.ts';
export type { WeeklyReport, WeeklyReportInput, WeeklyReportDevice } from './weekly-report.ts';
export { formatUtc } from './format.ts';
export {
  SCHEDULE_KINDS,
  MERGE_MODES,
  MERGE_RULES,
  DEFAULT_CALENDAR_GRACE_HOURS,
  DEFAULT_OFFLINE_ALERT_DAYS,
  INTERVAL_GRACE_SHARE,
  isCalendar,
  graceMsOf,
  intervalSchedule,
} from './schedule-spec.ts';
export type { Schedule, ScheduleKind, IsoWeekday, MergeMode, MergeRule, OfflineRule, DeviceSchedule } from './schedule-spec.ts';
export { ScheduleProblem } from './schedule-problem.ts';
export { compileSchedule, compiledScheduleOf, scheduleProblems, nextSlotAfter } from './schedule-compiled.ts';
export type { CompiledSchedule, ScheduleFieldProblem } from './schedule-compiled.ts';
export { describeSchedule } from './schedule-text.ts';
export { SlotCalendar } from './schedule-slots.ts';
export { schedulePosition, skippedRuns, offlineReason, scheduleBoundariesAfter } from './schedule-position.ts';
export type { SchedulePosition } from './schedule-position.ts';
export { mergedStatus } from './run-merge.ts';
export { recentRuns, RUN_RESULTS, RUN_STRIP_LENGTH } from './schedule-runs.ts';
export type { RunResult, ScheduledRun, RunJob, RunsInput } from './schedule-runs.ts';
export type * from './api.ts';
