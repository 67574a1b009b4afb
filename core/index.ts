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
export type * from './api.ts';
export { occurrencesBetween, nextStartAfter, upcomingOccurrences, recurrenceOf, MAX_MAINTENANCE_MINUTES } from './maintenance-window.ts';
export type { TimeRange, Recurrence, MaintenanceTiming } from './maintenance-window.ts';
export { windowApplies, windowIsOn, windowsCovering, isInMaintenance, activeMaintenance, nextMaintenanceBoundary, nextWindowBoundary, maintenanceRanges, timeInMaintenance } from './maintenance.ts';
export type { MaintenanceScope, MaintenanceWindow, MaintenanceSubject, ActiveWindow, ActiveMaintenance } from './maintenance.ts';
export { maintenanceWindowIssues, MAINTENANCE_NAME_MAX, MAINTENANCE_DEVICES_MAX } from './maintenance-validation.ts';
export type { MaintenanceWindowInput } from './maintenance-validation.ts';
export { textIssues, isKnownTimeZone } from './field-issues.ts';
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
