/**
 * The alert workflow as a state machine: open → acknowledged (who, when, note) →
 * open again on unacknowledge or on escalation (warning → critical, which notifies
 * again) → resolved. Each step is a pure transition returning the new state, the
 * history entries to record and the notifications to send; the BFF stores the first
 * two and hands the notifications to the PSA and On-Call integrations (which check
 * muting before they send).
 */
import { textIssues, type FieldIssue } from './field-issues.ts';
import { formatUtc } from './format.ts';
import type { AlertSeverity, AlertState, AlertTransition, Instant } from './types.ts';

/** Who acknowledged an alert, when, and what they said. */
export interface Acknowledgement {
  /** Key name or token subject. */
  by: string;
  at: Instant;
  note: string | null;
}

/** The workflow part of one alert. */
export interface AlertWorkflow {
  state: AlertState;
  severity: AlertSeverity;
  /** Set while acknowledged; kept on resolve so the record shows who handled it. */
  acknowledgement: Acknowledgement | null;
  /**
   * When the alert last asked for attention (opened, escalated, unacknowledged):
   * reminders count from here. Null while acknowledged or resolved.
   */
  remindFrom: Instant | null;
}

/** alert history actions, oldest first in a timeline. */
export type AlertHistoryAction = 'opened' | 'escalated' | 'acknowledged' | 'unacknowledged' | 'resolved';

export interface AlertHistoryEntry {
  action: AlertHistoryAction;
  at: Instant;
  /** Severity after the step. */
  severity: AlertSeverity;
  /** The person, or null for a step the evaluator took. */
  by: string | null;
  note: string | null;
}

/** What the integrations are told about (muting decides whether it is sent). */
export type AlertNotification =
  | { kind: 'opened'; severity: AlertSeverity; at: Instant }
  | { kind: 'escalated'; from: AlertSeverity; severity: AlertSeverity; at: Instant; reason: string }
  | { kind: 'resolved'; at: Instant; reason: string };

/** What a person does to an alert. */
export type AlertUserAction =
  | { action: 'acknowledge'; by: string; note?: string | null; at: Instant }
  | { action: 'unacknowledge'; by: string; note?: string | null; at: Instant };

export type AlertStep = { outcome: 'changed'; alert: AlertWorkflow; history: AlertHistoryEntry[]; notifications: AlertNotification[] };

/** The result of a transition: a change, nothing to do (already so), or refused with a reason a person can act on. */
export type AlertStepResult = AlertStep | { outcome: 'unchanged'; alert: AlertWorkflow } | { outcome: 'rejected'; reason: 'resolved'; message: string };

/** A new alert from an `open` transition: open, notifying, reminders counting from now. */
export function openAlert(transition: Extract<AlertTransition, { action: 'open' }>): AlertStep {
  const { severity, at } = transition;
  return {
    outcome: 'changed',
    alert: { state: 'open', severity, acknowledgement: null, remindFrom: at },
    history: [{ action: 'opened', at, severity, by: null, note: transition.reason }],
    notifications: [{ kind: 'opened', severity, at }],
  };
}

/**
 * One step of an existing alert: a person's acknowledge/unacknowledge, or the
 * evaluator's escalate/resolve. Acknowledging twice or unacknowledging an open alert
 * changes nothing; nothing but a repeated resolve applies to a resolved alert.
 * An escalation (to a higher severity) always notifies, and an acknowledged alert that
 * escalates goes back to `open`.
 */
export function advanceAlert(alert: AlertWorkflow, step: AlertUserAction | Exclude<AlertTransition, { action: 'open' }>): AlertStepResult {
  if (alert.state === 'resolved') {
    if (step.action === 'resolve') return { outcome: 'unchanged', alert };
    return { outcome: 'rejected', reason: 'resolved', message: `The alert is resolved; it cannot be ${PAST[step.action]}.` };
  }
  switch (step.action) {
    case 'acknowledge': {
      if (alert.state === 'acknowledged') return { outcome: 'unchanged', alert };
      const note = cleanNote(step.note);
      return changed(
        { ...alert, state: 'acknowledged', acknowledgement: { by: step.by, at: step.at, note }, remindFrom: null },
        { action: 'acknowledged', at: step.at, severity: alert.severity, by: step.by, note },
      );
    }
    case 'unacknowledge':
      if (alert.state === 'open') return { outcome: 'unchanged', alert };
      return changed(
        { ...alert, state: 'open', acknowledgement: null, remindFrom: step.at },
        { action: 'unacknowledged', at: step.at, severity: alert.severity, by: step.by, note: cleanNote(step.note) },
      );
    case 'escalate': {
      if (rank(step.severity) <= rank(alert.severity)) return { outcome: 'unchanged', alert };
      const cleared = alert.acknowledgement;
      const note = cleared
        ? `${step.reason}. Back to open: the acknowledgement by ${cleared.by} (${formatUtc(cleared.at)}) no longer holds`
        : step.reason;
      return changed(
        { state: 'open', severity: step.severity, acknowledgement: null, remindFrom: step.at },
        { action: 'escalated', at: step.at, severity: step.severity, by: null, note },
        { kind: 'escalated', from: alert.severity, severity: step.severity, at: step.at, reason: step.reason },
      );
    }
    case 'resolve':
      return changed(
        { ...alert, state: 'resolved', remindFrom: null },
        { action: 'resolved', at: step.at, severity: alert.severity, by: null, note: step.reason },
        { kind: 'resolved', at: step.at, reason: step.reason },
      );
  }
}

/** Longest note an acknowledgement keeps. */
export const ACKNOWLEDGE_NOTE_MAX = 2_000;

/** Issues of an acknowledge/unacknowledge note (optional; line breaks allowed). */
export function noteIssues(note: string | null | undefined, path = 'note'): FieldIssue[] {
  return cleanNote(note) === null ? [] : textIssues(path, note!, ACKNOWLEDGE_NOTE_MAX, true);
}

/** The result per alert of acknowledging several at once (`POST /alerts/acknowledge {ids}`). */
export function acknowledgeAll<K>(alerts: ReadonlyMap<K, AlertWorkflow>, by: string, note: string | null, at: Instant): Map<K, AlertStepResult> {
  const results = new Map<K, AlertStepResult>();
  for (const [id, alert] of alerts) results.set(id, advanceAlert(alert, { action: 'acknowledge', by, note, at }));
  return results;
}

const PAST = { acknowledge: 'acknowledged', unacknowledge: 'unacknowledged', escalate: 'escalated' } as const;

function changed(alert: AlertWorkflow, entry: AlertHistoryEntry, notification?: AlertNotification): AlertStep {
  return { outcome: 'changed', alert, history: [entry], notifications: notification ? [notification] : [] };
}

function rank(severity: AlertSeverity): number {
  return severity === 'critical' ? 2 : 1;
}

/** A blank note is no note. */
function cleanNote(note: string | null | undefined): string | null {
  const trimmed = note?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}
