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

const INSERT_JOBS_SQL = `INSERT INTO jobs (tenant_id, id, device_id, status, started_at, ended_at, bytes, message, log_url, received_at, recorded_by, note)
  SELECT ?, j.value->>0, j.value->>1, j.value->>2, j.value->>3, j.value->>4, j.value->>5, j.value->>6, j.value->>7, ?, j.value->>8, j.value->>9
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
// CROSS JOIN / MATERIALIZED: one primary-key probe per id of the JSON array.
const STORED_JOBS_SQL = `SELECT jb.id, jb.device_id, jb.status, jb.started_at, jb.ended_at, jb.bytes, jb.message, jb.log_url
  FROM json_each(?) j CROSS JOIN jobs jb WHERE jb.tenant_id = ? AND jb.id = j.value`;
const UPDATE_JOBS_SQL = `WITH v AS MATERIALIZED (SELECT value->>0 AS id, value AS data FROM json_each(?))
  UPDATE jobs SET status = v.data->>1, started_at = v.data->>2, ended_at = v.data->>3, bytes = v.data->>4, message = v.data->>5,
  log_url = v.data->>6, received_at = ? FROM v WHERE jobs.tenant_id = ? AND jobs.id = v.id`;

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
    const rows = jobs.map((j) => [j.id, j.deviceId, j.status, j.startedAt, j.endedAt, j.bytes, j.message, j.logUrl, j.recordedBy ?? null, j.note ?? null]);
    const inserted = await returnedKeys(tx, INSERT_JOBS_SQL, [tenantId, now, JSON.stringify(rows)], (r) => String(r.id));
    const stale: JobEvent[] = [];
    for (const job of jobs) {
      if (inserted.delete(job.id)) outcomes.set(job.index, 'new');
      else stale.push(job);
    }
    if (stale.length > 0) await reconcileJobs(tx, tenantId, stale, now, outcomes, errors);
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

/**
 * Job ids that were already stored: replays, ends of running jobs, corrections.
 * One query reads the stored rows, the events are decided in batch order against
 * them (a decided update becomes the stored row for a later report of the same job),
 * and one statement writes each updated job's final row.
 */
async function reconcileJobs(
  tx: SqlExecutor, tenantId: string, jobs: readonly JobEvent[], now: number, outcomes: Map<number, Outcome>, errors: StoreResult['errors'],
): Promise<void> {
  const ids = [...new Set(jobs.map((job) => job.id))];
  const stored = new Map((await tx.all<StoredJob & { id: string }>(STORED_JOBS_SQL, [JSON.stringify(ids), tenantId])).map((row) => [String(row.id), row as StoredJob]));
  const updates = new Map<string, StoredJob>();
  for (const job of jobs) {
    const current = stored.get(job.id);
    if (!current) {
      // Cannot happen inside the transaction; treat it as a replay rather than fail the batch.
      outcomes.set(job.index, 'duplicate');
      continue;
    }
    if (current.device_id !== job.deviceId) {
      errors.push({ index: job.index, path: 'id', message: `Job "${job.id}" was reported for device "${current.device_id}"; a job id belongs to one device.` });
      continue;
    }
    const same =
      current.status === job.status && current.started_at === job.startedAt && current.ended_at === job.endedAt &&
      current.bytes === job.bytes && current.message === job.message && current.log_url === job.logUrl;
    // A late "running" report of a job that already ended is stale: the completed report stands.
    if (same || (current.status !== 'running' && job.status === 'running')) {
      outcomes.set(job.index, 'duplicate');
      continue;
    }
    const next: StoredJob = {
      device_id: current.device_id, status: job.status, started_at: job.startedAt, ended_at: job.endedAt, bytes: job.bytes, message: job.message, log_url: job.logUrl,
    };
    stored.set(job.id, next);
    updates.set(job.id, next);
    outcomes.set(job.index, current.status === 'running' ? (job.status === 'running' ? 'new' : 'completed') : 'changed');
  }
  if (updates.size === 0) return;
  const rows = [...updates].map(([id, j]) => [id, j.status, j.started_at, j.ended_at, j.bytes, j.message, j.log_url]);
  await tx.run(UPDATE_JOBS_SQL, [JSON.stringify(rows), now, tenantId]);
}
