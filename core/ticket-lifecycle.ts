/**
 * What happens to PSA tickets when a problem comes back or gets worse, instead of
 * always opening a new one:
 * - a new alert for a device and type whose ticket is still open adds a note to it;
 * - one whose ticket was resolved less than `reopenDays` ago reopens that ticket
 *   (`PATCH {status:"open", note}`) with a note;
 * - a new failure, or an escalation, of an alert whose ticket is open adds a note.
 * Nothing here is sent while the device is muted (maintenance or silence). Each note
 * carries a stable key so it is delivered once, whatever the retries or instances.
 */
import { formatUtc } from './format.ts';
import type { AlertNotification } from './acknowledgement.ts';
import type { MuteDecision } from './muting.ts';
import { DAY, type AlertType, type Instant } from './types.ts';

/** A resolved ticket younger than this many days is reopened rather than replaced (0: never reopen). */
export const DEFAULT_REOPEN_DAYS = 3;

/** The newest ticket the BFF opened for a device and alert type. */
export interface TicketRecord {
  /** The BFF's own reference (the PSA's id may not be known yet while the create is queued). */
  ref: string;
  status: 'open' | 'resolved';
  resolvedAt: Instant | null;
}

export type TicketPlan =
  | { action: 'create' }
  | { action: 'note'; ticketRef: string; note: string; key: string }
  | { action: 'reopen'; ticketRef: string; note: string; key: string };

export interface NewAlertTicketContext {
  /** The new alert: its id, type, when its condition began and why. */
  alert: { id: string; type: AlertType; triggeredAt: Instant; reason: string };
  /** The newest ticket of the same device and type, if any. */
  latest: TicketRecord | null;
  reopenDays: number;
  mute: Pick<MuteDecision, 'muteNotifications'>;
}

/**
 * For an alert that qualifies for a ticket (the PSA mapping and thresholds say so):
 * a note on the device's open ticket of that type, a reopen of one resolved less than
 * `reopenDays` ago, or a new ticket. Null while muted: the alert asks again once the
 * quiet time is over.
 */
export function ticketForNewAlert(context: NewAlertTicketContext, now: Instant): TicketPlan | null {
  const { alert, latest } = context;
  if (context.mute.muteNotifications) return null;
  const since = `(since ${formatUtc(alert.triggeredAt)}): ${alert.reason}`;
  if (latest?.status === 'open') {
    return { action: 'note', ticketRef: latest.ref, note: `The problem is back ${since}.`, key: `note:${latest.ref}:alert:${alert.id}` };
  }
  if (latest?.status === 'resolved' && latest.resolvedAt !== null && now - latest.resolvedAt < context.reopenDays * DAY) {
    return {
      action: 'reopen',
      ticketRef: latest.ref,
      note: `Reopened: the problem is back ${since}. The ticket was resolved at ${formatUtc(latest.resolvedAt)}.`,
      key: `reopen:${latest.ref}:alert:${alert.id}`,
    };
  }
  return { action: 'create' };
}

/**
 * A new failed job of an alert whose ticket is open: a note instead of a new ticket
 * (keyed by the failure's time, so the same failure is noted once).
 */
export function noteForNewFailure(
  context: { ticket: TicketRecord | null; failedAt: Instant; consecutiveFailures: number; mute: Pick<MuteDecision, 'muteNotifications'> },
): Extract<TicketPlan, { action: 'note' }> | null {
  const { ticket } = context;
  if (ticket?.status !== 'open' || context.mute.muteNotifications) return null;
  const streak = context.consecutiveFailures > 1 ? ` (${context.consecutiveFailures} in a row)` : '';
  return {
    action: 'note',
    ticketRef: ticket.ref,
    note: `Another failed backup at ${formatUtc(context.failedAt)}${streak}.`,
    key: `note:${ticket.ref}:failure:${new Date(context.failedAt).toISOString()}`,
  };
}

/** An escalation of an alert whose ticket is open: a note saying so (the escalation always notifies). */
export function noteForEscalation(
  context: { ticket: TicketRecord | null; escalation: Extract<AlertNotification, { kind: 'escalated' }>; mute: Pick<MuteDecision, 'muteNotifications'> },
): Extract<TicketPlan, { action: 'note' }> | null {
  const { ticket, escalation } = context;
  if (ticket?.status !== 'open' || context.mute.muteNotifications) return null;
  return {
    action: 'note',
    ticketRef: ticket.ref,
    note: `Escalated from ${escalation.from} to ${escalation.severity} at ${formatUtc(escalation.at)}: ${escalation.reason}.`,
    key: `note:${ticket.ref}:escalated:${new Date(escalation.at).toISOString()}`,
  };
}
