/**
 * Applies a ping's action to its device: resolves the tenant's ping key and the
 * device's slug, pairs an end with its running job, and hands the resulting job
 * and check-in events to the ordinary ingestion (the same storing, evaluation,
 * alerts and tickets as POST /events).
 *
 * Pings come one event at a time, often thousands at the same minute (cron lines at
 * 22:00). They are group-committed (services/ingest/group-commit.ts): those of one
 * turn of the event loop share a transaction, each paired against the jobs the ones
 * before it stored.
 */
import { randomUUID } from 'node:crypto';
import { DAY } from '../../../core/types.ts';
import type { Database, SqlExecutor } from '../../db/client.ts';
import { ProblemError } from '../../http/problem.ts';
import type { IngestEvent, IngestOptions, Ingestor } from '../../services/ingest/index.ts';
import type { PingAction } from './interpret.ts';

/** A ping key and slug resolved to their device. */
export interface PingTarget {
  tenantId: string;
  deviceId: string;
}

/** How a ping ended: applied, or not found (unknown key or slug, retired device) with the reason. */
export type PingOutcome = { applied: true } | { applied: false; reason: string };

/** The reason a ping's slug names no device (then `?create=1` holds it in the discovery inbox). */
export const NO_SUCH_SLUG = 'no device has this ping slug';

/** An end without `?rid=` closes the newest running job started this long ago at most. */
export const RUNNING_JOB_WINDOW_MS = DAY;
/** The most a job's log grows to when `/log` pings append to it (the ping body limit). */
export const PING_BODY_LIMIT_BYTES = 100_000;

// One statement per ping: the key names the tenant, the slug its device (LEFT JOIN: an unknown slug still shows the key is good).
const TARGET_SQL = `SELECT t.id AS tenant_id, d.id AS device_id, d.retired_at FROM tenants t
  LEFT JOIN devices d ON d.tenant_id = t.id AND d.ping_slug = ? WHERE t.ping_key = ?`;
const JOB_SQL = 'SELECT id, status, started_at, message FROM jobs WHERE tenant_id = ? AND id = ?';
const NEWEST_RUNNING_SQL = `SELECT id, status, started_at, message FROM jobs
  WHERE tenant_id = ? AND device_id = ? AND started_at >= ? AND status = 'running' ORDER BY started_at DESC LIMIT 1`;

interface JobRow {
  id: string;
  status: string;
  started_at: number;
  message: string | null;
}

/** The job id of a ping run: the device and the run id keep it unique within the tenant. */
export const pingJobId = (deviceId: string, runId: string) => `ping:${deviceId}:${runId}`;

const batchOf = (events: IngestEvent[]) => ({ events, errors: [], total: events.length });

export class PingIngest {
  constructor(
    private readonly db: Database,
    private readonly ingestor: Ingestor,
  ) {}

  /** The device a ping key and slug name, or why there is none. */
  async resolve(pingKey: string, slug: string): Promise<PingTarget | { reason: string }> {
    const row = await this.db.get<{ tenant_id: string; device_id: string | null; retired_at: number | null }>(TARGET_SQL, [slug, pingKey]);
    if (!row) return { reason: 'unknown ping key' };
    if (row.device_id === null) return { reason: NO_SUCH_SLUG };
    if (row.retired_at !== null) return { reason: 'the device with this ping slug is retired' };
    return { tenantId: row.tenant_id, deviceId: row.device_id };
  }

  /** Applies `action` to the device `pingKey`/`slug` name, at `now` (queued for evaluation unless `wait`). */
  async apply(pingKey: string, slug: string, action: PingAction, now: number, options: IngestOptions = {}): Promise<PingOutcome> {
    const target = await this.resolve(pingKey, slug);
    if ('reason' in target) return { applied: false, reason: target.reason };
    try {
      if (options.wait) {
        await this.ingestor.ingest(target.tenantId, batchOf(await this.eventsFor(this.db, target, action, now)), now, options);
      } else {
        await this.ingestor.submit(async (tx) => ({ tenantId: target.tenantId, batch: batchOf(await this.eventsFor(tx, target, action, now)), now }));
      }
      return { applied: true };
    } catch (error) {
      // The device was retired or removed between the lookup and the write.
      if (error instanceof ProblemError && error.status === 422) return { applied: false, reason: 'the device cannot take reports now' };
      throw error;
    }
  }

  private async eventsFor(db: SqlExecutor, { tenantId, deviceId }: PingTarget, action: PingAction, now: number): Promise<IngestEvent[]> {
    const job = (fields: Omit<Extract<IngestEvent, { type: 'job' }>, 'type' | 'index' | 'deviceId' | 'logUrl'>): IngestEvent =>
      ({ type: 'job', index: 0, deviceId, logUrl: null, ...fields });
    const checkin = (at: number): IngestEvent => ({ type: 'checkin', index: 1, deviceId, at });

    switch (action.kind) {
      case 'start': {
        const id = pingJobId(deviceId, action.runId ?? randomUUID());
        return [job({ id, status: 'running', startedAt: action.at, endedAt: null, bytes: null, message: action.message }), checkin(action.at)];
      }
      case 'end': {
        const paired = await pairedJob(db, tenantId, deviceId, action.runId, now);
        const id = paired?.id ?? pingJobId(deviceId, action.runId ?? randomUUID());
        // The paired start is when the run began; a body's own start comes next; else the job took no time.
        const startedAt = Math.min(paired?.started_at ?? action.startedAt ?? action.endedAt, action.endedAt);
        return [job({ id, status: action.status, startedAt, endedAt: action.endedAt, bytes: action.bytes, message: action.message ?? paired?.message ?? null })];
      }
      case 'log': {
        const running = action.message === null ? null : await pairedJob(db, tenantId, deviceId, action.runId, now);
        if (!running || running.status !== 'running') return [checkin(action.at)];
        const message = running.message ? `${running.message}\n${action.message}` : action.message!;
        return [
          job({ id: running.id, status: 'running', startedAt: running.started_at, endedAt: null, bytes: null, message: message.slice(-PING_BODY_LIMIT_BYTES) }),
          checkin(action.at),
        ];
      }
    }
  }

}

/** The job a ping continues: the run `runId` names, else the device's newest running job of the last 24 h. */
async function pairedJob(db: SqlExecutor, tenantId: string, deviceId: string, runId: string | null, now: number): Promise<JobRow | null> {
  if (runId !== null) return (await db.get<JobRow>(JOB_SQL, [tenantId, pingJobId(deviceId, runId)])) ?? null;
  return (await db.get<JobRow>(NEWEST_RUNNING_SQL, [tenantId, deviceId, now - RUNNING_JOB_WINDOW_MS])) ?? null;
}
