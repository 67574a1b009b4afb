/**
 * The jobs the pings of one turn can pair with, read with two statements for the whole
 * turn instead of one per ping, and kept up to date in memory as each ping's job is
 * decided — so a ping pairs exactly as it would have, one after another, against the
 * jobs the pings before it stored (a start and its end in one turn make one job).
 * Mirrors what storing a job does to it (services/ingest/store.ts): a new id is
 * inserted, a running job takes the report, an ended one ignores a late "running".
 */
import type { SqlExecutor } from '../../db/client.ts';

/** A job as pairing sees it. */
export interface PairableJob {
  id: string;
  device_id: string;
  status: string;
  started_at: number;
  message: string | null;
}

/** The job fields of a ping's job event that pairing needs. */
export interface DecidedJob {
  id: string;
  deviceId: string;
  status: string;
  startedAt: number;
  message: string | null;
}

// The partial index jobs_running (migration 0020) holds only running jobs; rowid order is insertion order (ties of started_at).
const RUNNING_SQL = `SELECT jb.id, jb.device_id, jb.status, jb.started_at, jb.message FROM json_each(?) d CROSS JOIN jobs jb
  WHERE jb.tenant_id = ? AND jb.device_id = d.value AND jb.started_at >= ? AND jb.status = 'running' ORDER BY jb.rowid`;
const BY_ID_SQL = `SELECT jb.id, jb.device_id, jb.status, jb.started_at, jb.message FROM json_each(?) r CROSS JOIN jobs jb
  WHERE jb.tenant_id = ? AND jb.id = r.value ORDER BY jb.rowid`;

export class TurnJobs {
  /** Insertion order, as the rows' (the newest of equal starts is the last inserted). */
  private readonly jobs = new Map<string, PairableJob>();
  /** The same jobs per device, in insertion order: a turn of thousands of pings stays linear. */
  private readonly ofDevice = new Map<string, PairableJob[]>();

  /**
   * Reads the tenant's running jobs of `deviceIds` started at `since` or later, and the
   * jobs named `jobIds` (the run ids of the turn's pings), whatever their status.
   */
  static async load(tx: SqlExecutor, tenantId: string, deviceIds: readonly string[], jobIds: readonly string[], since: number): Promise<TurnJobs> {
    const turn = new TurnJobs();
    const [running, named] = await Promise.all([
      deviceIds.length > 0 ? tx.all<PairableJob>(RUNNING_SQL, [JSON.stringify(deviceIds), tenantId, since]) : [],
      jobIds.length > 0 ? tx.all<PairableJob>(BY_ID_SQL, [JSON.stringify(jobIds), tenantId]) : [],
    ]);
    for (const row of [...running, ...named]) if (!turn.jobs.has(String(row.id))) turn.add({ ...row, id: String(row.id), started_at: Number(row.started_at) });
    return turn;
  }

  /** The job `id`, as stored so far (only ids given to `load` or decided since are known). */
  byId(id: string): PairableJob | null {
    return this.jobs.get(id) ?? null;
  }

  /** The device's newest job still running that started at `since` or later. */
  newestRunning(deviceId: string, since: number): PairableJob | null {
    let newest: PairableJob | null = null;
    for (const job of this.ofDevice.get(deviceId) ?? []) {
      if ( job.status !== 'running' || job.started_at < since) continue;
      if (newest === null || job.started_at >= newest.started_at) newest = job;
    }
    return newest;
  }

  /** A ping's job as the store will leave it. */
  record(job: DecidedJob): void {
    const current = this.jobs.get(job.id);
    // A late "running" report of a job that already ended is stale (as the store decides).
    if (current && current.status !== 'running' && job.status === 'running') return;
    // A job id of another device makes the store refuse the batch; nothing to mirror.
    if (current && current.device_id !== job.deviceId) return;
    const next = { id: job.id, device_id: job.deviceId, status: job.status, started_at: job.startedAt, message: job.message };
    if (current) Object.assign(current, next);
    else this.add(next);
  }

  private add(job: PairableJob): void {
    this.jobs.set(job.id, job);
    const list = this.ofDevice.get(job.device_id);
    if (list) list.push(job);
    else this.ofDevice.set(job.device_id, [job]);
  }
}
