/**
 * Applies a ping's action to its device: resolves the tenant's ping key and the
 * device's slug, pairs an end with its running job, and hands the resulting job
 * and check-in events to the ordinary ingestion (the same storing, evaluation,
 * alerts and tickets as POST /events).
 *
 * Pings come one event at a time, often thousands at the same minute (cron lines at
 * 22:00). Those of one turn of the event loop are taken together: one statement
 * resolves all their keys and slugs, and per tenant two read the jobs they can pair
 * with and one batch stores them (group-committed with whatever else is stored in
 * that turn, services/ingest/group-commit.ts). Each is paired as if they had come one
 * after another, against the jobs the ones before it stored (turn-jobs.ts). A batch
 * that is refused (a device retired meanwhile) is stored again ping by ping, so a
 * ping that cannot be applied fails alone.
 */
import { randomUUID } from 'node:crypto';
import { DAY } from '../../../core/types.ts';
import type { Database, SqlExecutor } from '../../db/client.ts';
import { ProblemError } from '../../http/problem.ts';
import type { IngestEvent, IngestOptions, Ingestor } from '../../services/ingest/index.ts';
import type { PingAction } from './interpret.ts';
import { TurnJobs, type PairableJob } from './turn-jobs.ts';

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

// The key names the tenant, the slug its device (LEFT JOIN: an unknown slug still shows the key is good).
const TARGET_SQL = `SELECT t.id AS tenant_id, d.id AS device_id, d.retired_at FROM tenants t
  LEFT JOIN devices d ON d.tenant_id = t.id AND d.ping_slug = ? WHERE t.ping_key = ?`;
// The same for every distinct key and slug of a turn at once: [[key, slug], …].
const TARGETS_SQL = `SELECT j.value->>0 AS ping_key, j.value->>1 AS slug, t.id AS tenant_id, d.id AS device_id, d.retired_at
  FROM json_each(?) j CROSS JOIN tenants t LEFT JOIN devices d ON d.tenant_id = t.id AND d.ping_slug = j.value->>1
  WHERE t.ping_key = j.value->>0`;

/** The job id of a ping run: the device and the run id keep it unique within the tenant. */
export const pingJobId = (deviceId: string, runId: string) => `ping:${deviceId}:${runId}`;

const batchOf = (events: IngestEvent[]) => ({ events, errors: [], total: events.length });

/** A ping waiting for the end of its turn. */
interface Waiting {
  pingKey: string;
  slug: string;
  action: PingAction;
  now: number;
  resolve: (outcome: PingOutcome) => void;
  reject: (error: unknown) => void;
}

type Resolved = PingTarget | { reason: string };

/** Why a resolved target is none: the row of TARGET(S)_SQL, or its absence. */
function targetOf(row: { tenant_id: string; device_id: string | null; retired_at: number | null } | undefined): Resolved {
  if (!row) return { reason: 'unknown ping key' };
  if (row.device_id === null) return { reason: NO_SUCH_SLUG };
  if (row.retired_at !== null) return { reason: 'the device with this ping slug is retired' };
  return { tenantId: String(row.tenant_id), deviceId: String(row.device_id) };
}

/** Whether the action continues a job (an end, a log line with text) and so must be paired. */
const pairs = (action: PingAction) => action.kind === 'end' || (action.kind === 'log' && action.message !== null);

export class PingIngest {
  private waiting: Waiting[] = [];

  constructor(
    private readonly db: Database,
    private readonly ingestor: Ingestor,
  ) {}

  /** The device a ping key and slug name, or why there is none. */
  async resolve(pingKey: string, slug: string): Promise<Resolved> {
    return targetOf(await this.db.get(TARGET_SQL, [slug, pingKey]));
  }

  /**
   * Applies `action` to the device `pingKey`/`slug` name, at `now`: with the other
   * pings of this turn, queued for evaluation — or, with `wait`, alone and evaluated.
   */
  apply(pingKey: string, slug: string, action: PingAction, now: number, options: IngestOptions = {}): Promise<PingOutcome> {
    if (options.wait) return this.applyWaiting(pingKey, slug, action, now, options);
    return new Promise<PingOutcome>((resolve, reject) => {
      this.waiting.push({ pingKey, slug, action, now, resolve, reject });
      if (this.waiting.length === 1) setImmediate(() => void this.flush());
    });
  }

  private async applyWaiting(pingKey: string, slug: string, action: PingAction, now: number, options: IngestOptions): Promise<PingOutcome> {
    const target = await this.resolve(pingKey, slug);
    if ('reason' in target) return { applied: false, reason: target.reason };
    const ping = { action, now, deviceId: target.deviceId };
    return settle(async () => {
      await this.ingestor.ingest(target.tenantId, batchOf(await turnEvents(this.db, target.tenantId, [ping])), now, options);
    });
  }

  /** The turn's pings: resolved by one statement, then stored per tenant. */
  private async flush(): Promise<void> {
    const turn = this.waiting;
    this.waiting = [];
    let targets: Map<string, Resolved>;
    try {
      targets = await this.resolveAll(turn);
    } catch (error) {
      for (const ping of turn) ping.reject(error);
      return;
    }
    const tenants = new Map<string, (TurnPing & { waiting: Waiting })[]>();
    for (const ping of turn) {
      const target = targets.get(pairKey(ping.pingKey, ping.slug))!;
      if ('reason' in target) {
        ping.resolve({ applied: false, reason: target.reason });
        continue;
      }
      const list = tenants.get(target.tenantId);
      const item = { action: ping.action, now: ping.now, deviceId: target.deviceId, waiting: ping };
      if (list) list.push(item);
      else tenants.set(target.tenantId, [item]);
    }
    for (const [tenantId, pings] of tenants) void this.store(tenantId, pings);
  }

  private async resolveAll(turn: readonly Waiting[]): Promise<Map<string, Resolved>> {
    const distinct = new Map<string, [string, string]>();
    for (const { pingKey, slug } of turn) distinct.set(pairKey(pingKey, slug), [pingKey, slug]);
    type Row = { ping_key: string; slug: string; tenant_id: string; device_id: string | null; retired_at: number | null };
    const rows = await this.db.all<Row>(TARGETS_SQL, [JSON.stringify([...distinct.values()])]);
    const found = new Map(rows.map((row) => [pairKey(String(row.ping_key), String(row.slug)), row]));
    return new Map([...distinct.keys()].map((key) => [key, targetOf(found.get(key))]));
  }

  /** One tenant's pings of a turn as one batch; if it is refused, each alone (so only the bad one fails). */
  private async store(tenantId: string, pings: (TurnPing & { waiting: Waiting })[]): Promise<void> {
    const submit = (some: readonly TurnPing[]) => {
      const now = some.reduce((newest, ping) => Math.max(newest, ping.now), -Infinity);
      return this.ingestor.submit(async (tx) => ({ tenantId, batch: batchOf(await turnEvents(tx, tenantId, some)), now })).then(() => undefined);
    };
    try {
      await submit(pings);
      for (const { waiting } of pings) waiting.resolve({ applied: true });
    } catch (error) {
      if (pings.length === 1) {
        const { waiting } = pings[0]!;
        return isRefusal(error) ? waiting.resolve({ applied: false, reason: CANNOT_TAKE_REPORTS }) : waiting.reject(error);
      }
      for (const ping of pings) settle(() => submit([ping])).then(ping.waiting.resolve, ping.waiting.reject);
    }
  }
}

const pairKey = (pingKey: string, slug: string) => `${pingKey}\u0000${slug}`;

const CANNOT_TAKE_REPORTS = 'the device cannot take reports now';

/** A 422 from the ingestion: the device was retired or removed between the lookup and the write. */
const isRefusal = (error: unknown) => error instanceof ProblemError && error.status === 422;

async function settle(store: () => Promise<void>): Promise<PingOutcome> {
  try {
    await store();
    return { applied: true };
  } catch (error) {
    if (isRefusal(error)) return { applied: false, reason: CANNOT_TAKE_REPORTS };
    throw error;
  }
}

/** A ping on its device, as pairing sees it. */
interface TurnPing {
  action: PingAction;
  now: number;
  deviceId: string;
}

/**
 * The events of a tenant's pings (of one turn, or one alone), in arrival order, each
 * paired against the jobs of those before it: every path pairs through TurnJobs.
 */
async function turnEvents(tx: SqlExecutor, tenantId: string, pings: readonly TurnPing[]): Promise<IngestEvent[]> {
  const devices = [...new Set(pings.filter(({ action }) => pairs(action) && action.runId === null).map(({ deviceId }) => deviceId))];
  // Every run id, starts' too: a start of a run that already ended is stale, as the store decides.
  const named = [...new Set(pings.filter(({ action }) => action.runId !== null).map(({ action, deviceId }) => pingJobId(deviceId, action.runId!)))];
  const since = pings.reduce((oldest, { now }) => Math.min(oldest, now), Infinity) - RUNNING_JOB_WINDOW_MS;
  const jobs = await TurnJobs.load(tx, tenantId, devices, named, since);
  const events: IngestEvent[] = [];
  for (const { action, now, deviceId } of pings) {
    const runId = action.runId;
    const paired = !pairs(action) ? null : runId !== null ? jobs.byId(pingJobId(deviceId, runId)) : jobs.newestRunning(deviceId, now - RUNNING_JOB_WINDOW_MS);
    for (const event of pingEvents(deviceId, action, paired)) {
      if (event.type === 'job') jobs.record(event);
      events.push({ ...event, index: events.length });
    }
  }
  return events;
}

/** The job and check-in events of `action` on the device, continuing `paired` (the job it pairs with, if any). */
function pingEvents(deviceId: string, action: PingAction, paired: PairableJob | null): IngestEvent[] {
  const job = (fields: Omit<Extract<IngestEvent, { type: 'job' }>, 'type' | 'index' | 'deviceId' | 'logUrl'>): IngestEvent =>
    ({ type: 'job', index: 0, deviceId, logUrl: null, ...fields });
  const checkin = (at: number): IngestEvent => ({ type: 'checkin', index: 1, deviceId, at });

  switch (action.kind) {
    case 'start': {
      const id = pingJobId(deviceId, action.runId ?? randomUUID());
      return [job({ id, status: 'running', startedAt: action.at, endedAt: null, bytes: null, message: action.message }), checkin(action.at)];
    }
    case 'end': {
      const id = paired?.id ?? pingJobId(deviceId, action.runId ?? randomUUID());
      // The paired start is when the run began; a body's own start comes next; else the job took no time.
      const startedAt = Math.min(paired?.started_at ?? action.startedAt ?? action.endedAt, action.endedAt);
      return [job({ id, status: action.status, startedAt, endedAt: action.endedAt, bytes: action.bytes, message: action.message ?? paired?.message ?? null })];
    }
    case 'log': {
      if (!paired || paired.status !== 'running') return [checkin(action.at)];
      const message = paired.message ? `${paired.message}\n${action.message}` : action.message!;
      return [
        job({ id: paired.id, status: 'running', startedAt: paired.started_at, endedAt: null, bytes: null, message: message.slice(-PING_BODY_LIMIT_BYTES) }),
        checkin(action.at),
      ];
    }
  }
}

