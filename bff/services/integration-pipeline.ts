/**
 * The one pipeline through which integrations act on evaluations (PSA tickets,
 * On-Call pages): per tenant, pick the candidates the integration's rules care about,
 * look up what was already recorded for them (one statement), ask core's decision
 * for each, record the decisions with conditional writes (one statement per kind,
 * `RETURNING` what actually changed), and enqueue an outbound call for exactly those
 * rows, all in the evaluator's transaction. So a second instance, a second sweep or
 * a retried batch never sends a ticket or a page twice. Every message a step sends
 * is named by its kind (`notification(step)`) and passes `allowed` before it is
 * recorded: the one place where muting (maintenance, silences) decides, so a
 * message held back is decided again once the quiet time ends.
 */
import type { AlertType, NotificationKind } from '../../core/index.ts';
import type { SqlExecutor, SqlValue } from '../db/client.ts';
import type { DeviceEvaluation, EvaluationListener } from './evaluation-hooks.ts';
import { mayNotifyNow } from './mutes.ts';
import { enqueueMany, type EnqueueRequest } from './outbox/outbox.ts';

/** A decision to record: its kind (which write), the JSON row that write takes, and the key its `RETURNING` names. */
export interface PipelineStep<Kind extends string = string> {
  kind: Kind;
  row: readonly SqlValue[];
  key: string;
}

/** A row returned by a lookup or a write: `key` names the candidate or step it belongs to. */
export interface KeyedRow {
  key: string | number;
}

/** One integration, as the pipeline runs it. */
export interface IntegrationSpec<Rules, Candidate, Found extends KeyedRow, Step extends PipelineStep> {
  /** The tenant's rules, or null when the integration is off for that tenant (read through `tx` when not cached). */
  rules(tenantId: string, tx: SqlExecutor): Promise<Rules | null>;
  /** Adds the evaluation's candidates worth a lookup (skips what can never need one). */
  candidates(evaluation: DeviceEvaluation, rules: Rules, into: Candidate[]): void;
  /** What the lookup is keyed by (an alert id, a device id). */
  lookupKey(candidate: Candidate): string;
  /** Reads the recorded state of the candidates: parameters (JSON array of keys, tenant id); a `key` column per row. */
  lookupSql: string;
  /** Core's decision for one candidate, given what was recorded for it (undefined: nothing). */
  decide(candidate: Candidate, found: Found | undefined, rules: Rules): Step | null;
  /** What a step sends and about what (an alert's type, or null for the device): the mute check's question. */
  notification(step: Step): StepNotification;
  /** Per step kind, the conditional write: parameters from `args`; `RETURNING` a `key` column for each row it changed. */
  writes: Record<Step['kind'], { sql: string; args(tenantId: string, rows: string, now: number): SqlValue[] }>;
  /** The outbound calls of the steps whose write took effect (`written(step)`: the rows its write returned; none when it changed nothing). */
  requests(tx: SqlExecutor, tenantId: string, steps: readonly Step[], written: (step: Step) => readonly KeyedRow[], rules: Rules): Promise<EnqueueRequest[]>;
}

/** The kind of message a step sends, the evaluation it came from, and the alert type it is about (null: the device). */
export interface StepNotification {
  kind: NotificationKind;
  evaluation: DeviceEvaluation;
  type: AlertType | null;
}

const NOTHING: readonly KeyedRow[] = Object.freeze([]);

/**
 * Whether a message of this kind about this subject may be recorded and sent now.
 * Every message of the integrations passes here — tickets, ticket notes and
 * reopenings, pages, re-triggers and reminders — so the mute check (maintenance
 * windows and silences, `mayNotifyNow`) is made in this one place. Closing messages
 * always pass.
 */
function allowed({ kind, evaluation, type }: StepNotification): boolean {
  const { device, mutes, now } = evaluation;
  return mayNotifyNow(mutes, kind, { deviceId: device.id, clientId: device.clientId, policyId: device.policyId, type }, now);
}

/** An evaluation listener that runs one integration through the pipeline. */
export function integrationListener<Rules, Candidate, Found extends KeyedRow, Step extends PipelineStep>(
  spec: IntegrationSpec<Rules, Candidate, Found, Step>,
): EvaluationListener {
  return async (tx, evaluations) => {
    const tenants = new Map<string, { rules: Rules | null; candidates: Candidate[]; now: number }>();
    for (const evaluation of evaluations) {
      let tenant = tenants.get(evaluation.tenantId);
      if (!tenant) tenants.set(evaluation.tenantId, (tenant = { rules: await spec.rules(evaluation.tenantId, tx), candidates: [], now: evaluation.now }));
      if (tenant.rules !== null) spec.candidates(evaluation, tenant.rules, tenant.candidates);
    }
    const requests: EnqueueRequest[] = [];
    for (const [tenantId, { rules, candidates, now }] of tenants) {
      if (rules === null || candidates.length === 0) continue;
      const found = new Map<string, Found>();
      const keys = [...new Set(candidates.map(spec.lookupKey))];
      for (const row of await tx.all<Found>(spec.lookupSql, [JSON.stringify(keys), tenantId])) found.set(String(row.key), row);
      const steps: Step[] = [];
      for (const candidate of candidates) {
        const step = spec.decide(candidate, found.get(spec.lookupKey(candidate)), rules);
        if (step && allowed(spec.notification(step))) steps.push(step);
      }
      if (steps.length === 0) continue;
      const written = new Map<string, KeyedRow[]>();
      for (const kind of Object.keys(spec.writes) as Step['kind'][]) {
        const rows = steps.filter((step) => step.kind === kind).map((step) => step.row);
        if (rows.length === 0) continue;
        const write = spec.writes[kind];
        for (const row of await tx.all<KeyedRow>(write.sql, write.args(tenantId, JSON.stringify(rows), now))) {
          const key = `${kind}\u0000${row.key}`;
          const list = written.get(key);
          if (list) list.push(row);
          else written.set(key, [row]);
        }
      }
      requests.push(...(await spec.requests(tx, tenantId, steps, (step) => written.get(`${step.kind}\u0000${step.key}`) ?? NOTHING, rules)));
    }
    await enqueueMany(tx, requests);
  };
}
