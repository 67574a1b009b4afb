/**
 * Reminders for alerts nobody has picked up: while an alert stays open (not
 * acknowledged, not silenced, not in maintenance) a reminder every `reminderHours`,
 * counted from when the alert last asked for attention. A reminder is a note on the
 * alert's open PSA ticket and, if it paged, a re-trigger with the same dedupKey.
 *
 * Reminder n is due at `remindFrom + n × reminderHours`; its key is stable
 * (alert id and due time), so several instances sending "the reminder due now" send
 * it once. A muted period is skipped, not made up later; after downtime only the
 * newest due reminder is sent, never a burst.
 */
import type { AlertWorkflow } from './acknowledgement.ts';
import { formatElapsed } from './format.ts';
import { HOUR, type Instant } from './types.ts';
import type { MuteDecision } from './muting.ts';

/** Hours between reminders unless the tenant says otherwise; 0 turns reminders off. */
export const DEFAULT_REMINDER_HOURS = 24;

/** The alert as the reminder rule sees it. */
export interface ReminderAlert extends Pick<AlertWorkflow, 'state' | 'remindFrom'> {
  id: string;
  /** The alert's current reason ("4 consecutive failures since …"). */
  reason: string;
}

export interface ReminderContext {
  alert: ReminderAlert;
  reminderHours: number;
  mute: Pick<MuteDecision, 'muteNotifications'>;
  /** The alert's PSA ticket is open (a reminder is a note on it). */
  ticketOpen: boolean;
  /** The alert's device paged and the page is not resolved (a reminder re-triggers it). */
  paged: boolean;
  /** Key of the newest reminder already sent for this alert, if any. */
  lastReminderKey: string | null;
}

export type ReminderChannel = 'ticket-note' | 'page-retrigger';

export interface Reminder {
  /** 1 for the first reminder after the alert asked for attention, 2 for the next, … */
  number: number;
  dueAt: Instant;
  /** Unique per alert and due time: the outbox's exactly-once key. */
  key: string;
  note: string;
  channels: ReminderChannel[];
}

export interface ReminderDecision {
  /** The reminder to send now, if any. */
  send: Reminder | null;
  /** When the next reminder falls due (look again then), null when none will. */
  nextAt: Instant | null;
}

/** The reminder to send at `now`, and when the next one is due. */
export function reminderDecision(context: ReminderContext, now: Instant): ReminderDecision {
  const { alert, reminderHours } = context;
  if (!(reminderHours > 0) || alert.state !== 'open' || alert.remindFrom === null) return { send: null, nextAt: null };
  const every = reminderHours * HOUR;
  const number = Math.floor((now - alert.remindFrom) / every);
  const nextAt = alert.remindFrom + (Math.max(number, 0) + 1) * every;
  if (number < 1 || context.mute.muteNotifications) return { send: null, nextAt };
  const dueAt = alert.remindFrom + number * every;
  const key = reminderKey(alert.id, dueAt);
  const channels: ReminderChannel[] = [];
  if (context.ticketOpen) channels.push('ticket-note');
  if (context.paged) channels.push('page-retrigger');
  if (key === context.lastReminderKey || channels.length === 0) return { send: null, nextAt };
  const note = `Reminder ${number}: still open and not acknowledged after ${formatElapsed(dueAt - alert.remindFrom)}. ${alert.reason}.`;
  return { send: { number, dueAt, key, note, channels }, nextAt };
}

/** `reminder:<alert id>:<due time ISO>`. */
export function reminderKey(alertId: string, dueAt: Instant): string {
  return `reminder:${alertId}:${new Date(dueAt).toISOString()}`;
}
