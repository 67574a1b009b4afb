/**
 * What the evaluator tells the integrations after each batch of device evaluations. Listeners
 * run inside the evaluation's transaction, so an outbound call they enqueue (outbox)
 * commits or rolls back with the alert transition that caused it. An evaluation's alerts
 * are those the applied plan left: the active ones plus those its recorded transitions
 * (the `alert_events` flip log) resolved just now; PSA and On-Call read them through
 * `integration-pipeline.ts`.
 */
import type { AlertSeverity, AlertState, AlertType, DeviceKind, DeviceState, Health, SlaState } from '../../core/types.ts';
import type { SqlExecutor } from '../db/client.ts';
import type { TenantMutes } from './mutes.ts';

export interface EvaluatedAlert {
  id: string;
  type: AlertType;
  severity: AlertSeverity;
  state: AlertState;
  triggeredAt: number;
  resolvedAt: number | null;
  reason: string;
  /** Escalated by this evaluation (it notifies again: a ticket note, a page re-trigger). */
  escalatedNow: boolean;
  /** While open: when it last asked for attention; reminders count from here. */
  remindFrom: number | null;
  /** Due time of the newest reminder sent. */
  lastReminderAt: number | null;
}

export interface DeviceEvaluation {
  tenantId: string;
  device: {
    id: string;
    name: string;
    kind: DeviceKind;
    clientId: string;
    clientName: string;
    policyId: string;
    intervalHours: number;
    enrolledAt: number;
  };
  state: DeviceState;
  health: Health;
  sla: SlaState;
  now: number;
  /** Active alerts after this evaluation, plus those this evaluation resolved. */
  alerts: EvaluatedAlert[];
  /** The tenant's maintenance windows and silences: what is sent about this device passes `mayNotifyNow`. */
  mutes: TenantMutes;
}

/**
 * Hears the evaluations of one batch (one tenant's devices of an ingest batch or a
 * sweep chunk) at once, so that it can look up what it needs with one statement per
 * batch rather than one per device.
 */
export type EvaluationListener = (tx: SqlExecutor, evaluations: readonly DeviceEvaluation[]) => Promise<void>;
