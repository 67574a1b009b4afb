/**
 * Backup Health's domain engine: pure functions of (inputs, now). No I/O.
 * @module
 */
export * from './types.ts';
export { emptyDeviceState, applyJob, noteJobSeen, applyDrTest, applyStorage, applyConsent, applyCheckin, applyEvent, eventTime, summarizeHistory } from './history.ts';
export { isKnown, scheduleReference, effectiveQuota, storageRatio, DEFAULT_INTERVAL_HOURS, intervalHoursOf, deviceProfile } from './device-facts.ts';
export { storageLevel, STORAGE_ALERT_RATIO } from './storage-level.ts';
export type { StorageLevel } from './storage-level.ts';
export { clientStatus } from './client-status.ts';
export type { HistoryEvent } from './history.ts';
export { evaluateHealth, SCORE_WEIGHTS, STATUS_BANDS } from './health.ts';
export { explainScore, type ScoreExplanation } from './score-band.ts';
export { alertConditions, alertTransitions, evaluateAlerts, RECOMMENDED_ACTIONS } from './alerts.ts';
export { planEvaluation, planRetirement, NEVER, RETIRED_REASON } from './plan.ts';
export type { DevicePlan, PlanInput, Rewording, WordedAlert } from './plan.ts';
export { resolutionReason } from './alert-resolution.ts';
export { slaHoursFor, maxHoursFor, evaluateSla, slaWindowEnd, breachHours, summarizeCompliance, complianceOfCounts } from './sla.ts';
export { ticketDecision, DEFAULT_TICKET_MAPPING, DEFAULT_PSA_RULES } from './psa.ts';
export type { TicketContext, TicketDecision } from './psa.ts';
export { isWithinBusinessHours, nextBusinessHoursChange, pageDecision, DEFAULT_ONCALL_RULES } from './oncall.ts';
export { nextEvaluationAt, BREACH_RECHECK_MS, DRIFT_RECHECK_MS, IDLE_RECHECK_MS } from './next-evaluation.ts';
export type { NextEvaluationInput } from './next-evaluation.ts';
export type { PageContext, PageDecision } from './oncall.ts';
export { latestDeliverySlot, nextDeliverySlot, deliveryWeekKey, buildWeeklyReport } from './weekly-report.ts';
export type { WeeklyReport, WeeklyReportInput, WeeklyReportDevice } from './weekly-report.ts';
export { latestMonthlySlot } from './client-report-schedule.ts';
export type { MonthlySchedule, MonthlySlot } from './client-report-schedule.ts';
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
export { periodCompliance, combinePeriods, meetingPercent, mergeIntervals, hoursOf, totalBreachHours, successSpans } from './compliance-period.ts';
export type { Interval, PeriodBreach, PeriodCompliance, PeriodComplianceInput, SuccessSpan } from './compliance-period.ts';
export { LOCAL_DAY_PATTERN, localDaysPeriod, periodWeeks, reportPeriod, REPORT_PERIODS } from './report-period.ts';
export type { ReportPeriodName } from './report-period.ts';
export { ALERT_TYPE_LABELS } from './alert-labels.ts';
export { occurrencesBetween, nextStartAfter, upcomingOccurrences, recurrenceOf, MAX_MAINTENANCE_MINUTES } from './maintenance-window.ts';
export type { TimeRange, Recurrence, MaintenanceTiming } from './maintenance-window.ts';
export { skipMaintenanceSlots } from './maintenance-slots.ts';
export { windowApplies, windowIsOn, windowsCovering, isInMaintenance, activeMaintenance, nextMaintenanceBoundary, nextWindowBoundary, maintenanceRanges, timeInMaintenance, windowsInPeriod } from './maintenance.ts';
export type { MaintenanceScope, MaintenanceWindow, MaintenanceSubject, ActiveWindow, ActiveMaintenance, WindowInPeriod } from './maintenance.ts';
export { maintenanceWindowIssues, MAINTENANCE_NAME_MAX, MAINTENANCE_DEVICES_MAX } from './maintenance-validation.ts';
export type { MaintenanceWindowInput } from './maintenance-validation.ts';
export { textIssues, hasControlCharacters } from './field-issues.ts';
export { isTimeZone, isStartTime, CLOCK_TIME_PATTERN } from './clock-time.ts';
export { parseClock } from './zoned-time.ts';
export { integrationKeyIssue, INTEGRATION_KEY_MIN_LENGTH, INTEGRATION_KEY_MIN_DISTINCT } from './integration-key.ts';
export type { FieldIssue } from './field-issues.ts';
export { silenceState, silenceMatches, silencesMuting, expireSilence, createSilence, silenceIssues, SILENCE_COMMENT_MAX } from './silences.ts';
export type { Silence, SilenceMatchers, SilenceState, SilenceSubject, SilenceInput } from './silences.ts';
export { muteDecision, mayNotify, gateTransitions } from './muting.ts';
export type { MuteSubject, MuteDecision, AttentionKind, ClosingKind, NotificationKind } from './muting.ts';
export { openAlert, advanceAlert, acknowledgeAll, noteIssues, ACKNOWLEDGE_NOTE_MAX } from './acknowledgement.ts';
export type { Acknowledgement, AlertWorkflow, AlertHistoryAction, AlertHistoryEntry, AlertNotification, AlertUserAction, AlertStep, AlertStepResult } from './acknowledgement.ts';
export { reminderDecision, reminderKey, DEFAULT_REMINDER_HOURS } from './reminders.ts';
export type { ReminderAlert, ReminderContext, ReminderChannel, Reminder, ReminderDecision } from './reminders.ts';
export { ticketForNewAlert, noteForNewFailure, noteForEscalation, DEFAULT_REOPEN_DAYS } from './ticket-lifecycle.ts';
export type { TicketRecord, TicketPlan, NewAlertTicketContext } from './ticket-lifecycle.ts';
export { trendBuckets, successRate, bucketCompliance, addDevice, emptyTotals, totalsPercent, TREND_UNITS } from './trends.ts';
export type { TrendBucket, TrendDevice, TrendUnit, BucketTotals } from './trends.ts';
