import type { AlertType, DeviceState, Instant, PsaRules, TicketMapping } from './types.ts';

/** SPEC §7 defaults: the four alert types that open tickets. */
export const DEFAULT_TICKET_MAPPING: Readonly<Partial<Record<AlertType, TicketMapping | null>>> = {};

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
 * success), or resolve it (alert resolved, ticket open).
 */
export function ticketDecision(context: TicketContext, rules: PsaRules): TicketDecision {
  throw new Error('not implemented');
}
