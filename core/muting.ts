/**
 * One decision for "may we bother anyone about this now?", shared by alerts,
 * tickets, pages and reminders:
 * - in a maintenance window no alert opens or escalates, and nothing that asks for
 *   attention is sent;
 * - under an active silence alerts still open and escalate (and show `silencedBy`),
 *   but nothing that asks for attention is sent.
 * Closing messages (a ticket resolved, a page resolved) are never muted: quiet time
 * must not leave a fixed problem open in the PSA or paging.
 */
import { formatUtc } from './format.ts';
import { activeMaintenance, type ActiveMaintenance, type MaintenanceSubject, type MaintenanceWindow } from './maintenance.ts';
import { silencesMuting, type Silence, type SilenceSubject } from './silences.ts';
import type { AlertTransition, Instant } from './types.ts';

/** A device, or one of its alerts (`type`), or a device-level notification (`type: null`). */
export type MuteSubject = MaintenanceSubject & SilenceSubject;

/** Outbound messages that ask a person to act: muted in maintenance and under a silence. */
export type AttentionKind = 'ticket' | 'ticket-note' | 'ticket-reopen' | 'page' | 'page-retrigger' | 'reminder';
/** Outbound messages that close what was opened: never muted. */
export type ClosingKind = 'ticket-resolve' | 'page-resolve';
export type NotificationKind = AttentionKind | ClosingKind;

export interface MuteDecision {
  /** In maintenance: no alert opens or escalates now. */
  holdAlerts: boolean;
  /** In maintenance or silenced: nothing that asks for attention is sent now. */
  muteNotifications: boolean;
  maintenance: ActiveMaintenance | null;
  /** Ids of the active silences that match, for the alert's `silencedBy`. */
  silencedBy: string[];
  /** Why, in one sentence; null when nothing is muted. */
  reason: string | null;
}

const CLOSING: ReadonlySet<NotificationKind> = new Set<ClosingKind>(['ticket-resolve', 'page-resolve']);

/** Whether the subject is muted at `now`, by what, and what that holds back. */
export function muteDecision(subject: MuteSubject, windows: readonly MaintenanceWindow[], silences: readonly Silence[], now: Instant): MuteDecision {
  const maintenance = activeMaintenance(subject, windows, now);
  const silencing = silencesMuting(subject, silences, now);
  let reason: string | null = null;
  if (maintenance) reason = `In maintenance (${maintenance.name}) until ${formatUtc(maintenance.until)}`;
  else if (silencing.length > 0) {
    const last = silencing.reduce((a, b) => (b.endsAt > a.endsAt ? b : a));
    reason = `Silenced by ${last.createdBy} until ${formatUtc(last.endsAt)}: ${last.comment}`;
  }
  return {
    holdAlerts: maintenance !== null,
    muteNotifications: maintenance !== null || silencing.length > 0,
    maintenance,
    silencedBy: silencing.map((silence) => silence.id),
    reason,
  };
}

/** Whether a message of this kind may be sent under the decision. */
export function mayNotify(kind: NotificationKind, decision: Pick<MuteDecision, 'muteNotifications'>): boolean {
  return CLOSING.has(kind) || !decision.muteNotifications;
}

/**
 * The alert transitions that may be applied under the decision: in maintenance,
 * opening and escalating wait (the condition is evaluated again when the window
 * ends); resolving always goes ahead.
 */
export function gateTransitions(transitions: readonly AlertTransition[], decision: Pick<MuteDecision, 'holdAlerts'>): AlertTransition[] {
  return decision.holdAlerts ? transitions.filter((transition) => transition.action === 'resolve') : [...transitions];
}
