/**
 * Stores a batch of events and tells, per event, what it was: new, a duplicate
 * (replay), the completion or update of a stored job. One INSERT … SELECT FROM
 * json_each per event type does the bulk of the work (one statement for any batch
 * size, one round trip to a remote server); RETURNING names the rows actually
 * inserted, so only replays and job updates take the slow path.
 */
import type { Problem } from '../../../core/api.ts';
import type { SqlExecutor, SqlValue } from '../../db/client.ts';
import type { IngestEvent } from './schema.ts';

/**
 * - `new`: first report (stored);
 * - `duplicate`: a replay that changes nothing;
 * - `completed`: a stored running job ended (running → success/warning/failed);
 * - `changed`: an already-completed job was reported differently (its device's state is rebuilt).
 */
export type Outcome = 'new' | 'duplicate' | 'completed' | 'changed';

type JobEvent = Extract<IngestEvent, { type: 'job' }>;

const INSERT_JOBS_SQL = `INSERT INTO jobs (tenant_id, id, device_id, status, started_at, ended_at, bytes, message, log_url, received_at)
  SELECT ?, j.value->>0, j.value->>1, j.value->>2, j.value->>3, j.value->>4, j.value->>5, j.value->>6, j.value->>7, ?
  FROM json_each(?) j WHERE true ON CONFLICT DO NOTHING RETURNING id`;
const INSERT_DR_TESTS_SQL = `INSERT INTO dr_tests (tenant_id, id, device_id, at, result, message)
  SELECT ?, j.value->>0, j.value->>1, j.value->>2, j.value->>3, j.value->>4 FROM json_each(?) j WHERE true
  ON CONFLICT DO NOTHING RETURNING id`;
const INSERT_STORAGE_SQL = `INSERT INTO storage_reports (tenant_id, device_id, at, used_bytes, quota_bytes)
  SELECT ?, j.value->>0, j.value->>1, j.value->>2, j.value->>3 FROM json_each(?) j WHERE true
  ON CONFLICT DO NOTHING RETURNING device_id, at`;
const INSERT_CONSENT_SQL = `INSERT INTO consent_events (tenant_id, device_id, at, state)
  SELECT ?, j.value->>0, j.value->>1, j.value->>2 FROM json_each(?) j WHERE true
  ON CONFLICT DO NOTHING RETURNING device_id, at`;
const STORED_JOB_SQL = 'SELECT device_id, status, started_at, ended_at, bytes, message, log_url FROM jobs WHERE tenant_id = ? AND id = ?';
const UPDATE_JOB_SQL = `UPDATE jobs SET status = ?, started_at = ?, ended_at = ?, bytes = ?, message = ?, log_url = ?, received_at = ?
  WHERE tenant_id = ? AND id = ?`;

interface StoredJob {
  device_id: string;
  status: string;
  started_at: number;
  ended_at: number | null;
  bytes: number | null;
  message: string | null;
  log_url: string | null;
}

export interface StoreResult {
  /** By event index; check-ins are not stored and are absent. */
  outcomes: Map<number, Outcome>;
  /** Events that cannot be stored (a job id that belongs to another device). */
  errors: NonNullable<Problem['errors']>;
}

/**
 * Writes the events (in batch order: of two reports of one job in a batch, the
 * later wins) inside the caller's transaction.
 */
export async function storeEvents(tx: SqlExecutor, tenantId: string, events: readonly IngestEvent[], now: number): Promise<StoreResult> {
  const outcomes = new Map<number, Outcome>();
  const errors: StoreResult['errors'] = [];
  const jobs: JobEvent[] = [];
  const drTests: Extract<IngestEvent, { type: 'dr_test' }>[] = [];
  const storage: Extract<IngestEvent, { type: 'storage' }>[] = [];
  const consent: Extract<IngestEvent, { type: 'saas_consent' }>[] = [];
  for (const event of events) {
    if (event.type === 'job') jobs.push(event);
    else if (event.type === 'dr_test') drTests.push(event);
    else if (event.type === 'storage') storage.push(event);
    else if (event.type === 'saas_consent') consent.push(event);
  }

  if (jobs.length > 0) {
    const rows = jobs.map((j) => [j.id, j.deviceId, j.status, j.startedAt, j.endedAt, j.bytes, j.message, j.logUrl]);
    const inserted = await returnedKeys(tx, INSERT_JOBS_SQL, [tenantId, now, JSON.stringify(rows)], (r) => String(r.id));
    for (const job of jobs) {
      if (inserted.delete(job.id)) outcomes.set(job.index, 'new');
      else await reconcileJob(tx, tenantId, job, now, outcomes, errors);
    }
  }
  if (drTests.length > 0) {
    const rows = drTests.map((t) => [t.id, t.deviceId, t.at, t.result, t.message]);
    const inserted = await returnedKeys(tx, INSERT_DR_TESTS_SQL, [tenantId, JSON.stringify(rows)], (r) => String(r.id));
    for (const test of drTests) outcomes.set(test.index, inserted.delete(test.id) ? 'new' : 'duplicate');
  }
  const deviceAtKey = (deviceId: unknown, at: unknown) => `${deviceId}\u0000${at}`;
  if (storage.length > 0) {
    const rows = storage.map((s) => [s.deviceId, s.at, s.usedBytes, s.quotaBytes]);
    const inserted = await returnedKeys(tx, INSERT_STORAGE_SQL, [tenantId, JSON.stringify(rows)], (r) => deviceAtKey(r.device_id, r.at));
    for (const report of storage) outcomes.set(report.index, inserted.delete(deviceAtKey(report.deviceId, report.at)) ? 'new' : 'duplicate');
  }
  if (consent.length > 0) {
    const rows = consent.map((c) => [c.deviceId, c.at, c.state]);
    const inserted = await returnedKeys(tx, INSERT_CONSENT_SQL, [tenantId, JSON.stringify(rows)], (r) => deviceAtKey(r.device_id, r.at));
    for (const report of consent) outcomes.set(report.index, inserted.delete(deviceAtKey(report.deviceId, report.at)) ? 'new' : 'duplicate');
  }
  return { outcomes, errors };
}

/** Keys of the rows an INSERT … RETURNING inserted. Deleting a key on use makes a second occurrence in the batch a non-insert. */
async function returnedKeys(tx: SqlExecutor, sql: string, args: SqlValue[], key: (row: Record<string, unknown>) => string): Promise<Set<string>> {
  const rows = await tx.all(sql, args);
  return new Set(rows.map(key));
}

/** A job id that was already stored: a replay, the end of a running job, or a correction. */
async function reconcileJob(tx: SqlExecutor, tenantId: string, job: JobEvent, now: number, outcomes: Map<number, Outcome>, errors: StoreResult['errors']) {
  const stored = await tx.get<StoredJob>(STORED_JOB_SQL, [tenantId, job.id]);
  if (!stored) {
    // Cannot happen inside the transaction; treat it as a replay rather than fail the batch.
    outcomes.set(job.index, 'duplicate');
    return;
  }
  if (stored.device_id !== job.deviceId) {
    errors.push({ index: job.index, path: 'id', message: `Job "${job.id}" was reported for device "${stored.device_id}"; a job id belongs to one device.` });
    return;
  }
  const same =
    stored.status === job.status && stored.started_at === job.startedAt && stored.ended_at === job.endedAt &&
    stored.bytes === job.bytes && stored.message === job.message && stored.log_url === job.logUrl;
  // A late "running" report of a job that already ended is stale: the completed report stands.
  if (same || (stored.status !== 'running' && job.status === 'running')) {
    outcomes.set(job.index, 'duplicate');
    return;
  }
  await tx.run(UPDATE_JOB_SQL, [job.status, job.startedAt, job.endedAt, job.bytes, job.message, job.logUrl, now, tenantId, job.id]);
  outcomes.set(job.index, stored.status === 'running' ? (job.status === 'running' ? 'new' : 'completed') : 'changed');
}
