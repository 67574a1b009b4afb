import { resolutionReason } from './alert-resolution.ts';
import { scheduleReference } from './device-facts.ts';
import { HOUR, type AlertType, type DeviceState, type Instant, type PsaRules, type TicketMapping } from './types.ts';

/** backup_overdue opens its ticket only once the device has gone this long without success. */
export const OVERDUE_TICKET_HOURS = 24;

/** Defaults (docs/decisions.md): the four alert types that open tickets; the other three open none. */
export const DEFAULT_TICKET_MAPPING: Readonly<Partial<Record<AlertType, TicketMapping | null>>> = {
  backup_failed: { ticketType: 'Backup Failure', priority: 'Critical' },
  backup_missed_schedule: null,
  backup_overdue: { ticketType: 'Backup Overdue', priority: 'High' },
  storage_quota_exceeded: null,
  saas_backup_overdue: null,
  saas_consent_expired: { ticketType: 'SaaS Connection Error', priority: 'Critical' },
  dr_test_failed: { ticketType: 'DR Test Failure', priority: 'High' },
};

export const DEFAULT_PSA_RULES: PsaRules = { enabled: false, failureThreshold: 3, mapping: DEFAULT_TICKET_MAPPING };

export interface TicketContext {
  alertType: AlertType;
  /** The alert is resolved. */
  alertResolved: boolean;
  /** A ticket was already requested for this alert (one ticket per alert, ever). */
  ticketRequested: boolean;
  /** That ticket was already marked resolved. */
  ticketResolved: boolean;
  state: DeviceState;
  now: Instant;
}

export type TicketDecision =
  | { action: 'create'; ticketType: string; priority: TicketMapping['priority'] }
  | { action: 'resolve'; note: string }
  | null;

/**
 * Whether an alert should open its ticket now (mapping present; backup_failed only
 * from `failureThreshold` consecutive failures; backup_overdue only past 24 h without
 * success), or resolve it (alert resolved, ticket open). Null: nothing to do, also
 * whenever the integration is disabled. A type mapped to null, or absent from the
 * mapping, never opens a ticket.
 */
export function ticketDecision(context: TicketContext, rules: PsaRules): TicketDecision {
  const { alertType, state, now } = context;
  if (!rules.enabled) return null;
  if (context.alertResolved) {
    if (!context.ticketRequested || context.ticketResolved) return null;
    return { action: 'resolve', note: `Resolved automatically: ${lowerFirst(resolutionReason(alertType, null, state, now))}` };
  }
  const mapping = rules.mapping[alertType];
  if (context.ticketRequested || !mapping) return null;
  if (alertType === 'backup_failed' && state.consecutiveFailures < rules.failureThreshold) return null;
  if (alertType === 'backup_overdue' && now - scheduleReference(state) < OVERDUE_TICKET_HOURS * HOUR) return null;
  return { action: 'create', ticketType: mapping.ticketType, priority: mapping.priority };
}

/** "Backup succeeded …" → "backup succeeded …"; acronyms such as "DR" or "SaaS" keep their case. */
function lowerFirst(text: string): string {
  return /^[A-Z][a-z]*\b/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}
