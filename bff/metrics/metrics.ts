/**
 * Prometheus metrics of one app instance (`GET /metrics`, text format). Every figure is
 * fleet-wide and carries no tenant, client or device label: the endpoint reveals load,
 * never data. Counters and histograms are fed by the request path and the background
 * work; gauges that describe the database (evaluation lag, outbox) are read when
 * Prometheus scrapes, so every instance reports the same shared state.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Clock } from '../context.ts';
import type { ReplicaState, SqlExecutor } from '../db/client.ts';

/** What the scrape-time gauges read besides the database. */
export interface MetricSources {
  /** Open `/stream` subscriptions on this instance. */
  streamSubscribers(): number;
  /** The embedded replica, when reads are served from one (replicated.ts). */
  replica?: ReplicaState;
}

const EVALUATION_LAG_SQL = 'SELECT COUNT(*) AS due, MIN(next_check_at) AS oldest FROM devices WHERE next_check_at <= ? AND retired_at IS NULL';
const QUEUE_SQL = 'SELECT COUNT(*) AS pending, MIN(marked_at) AS oldest FROM evaluation_queue';
const OUTBOX_SQL = `SELECT channel, COUNT(*) AS depth, MIN(created_at) AS oldest FROM outbox
  WHERE status IN ('pending', 'sending') GROUP BY channel`;
const OUTBOX_FAILED_SQL = "SELECT channel, COUNT(*) AS failed FROM outbox WHERE status = 'failed' GROUP BY channel";
const CHANNELS = ['psa', 'oncall', 'mail'] as const;

/** Seconds buckets for request latency: 1 ms … 10 s. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class Metrics {
  readonly registry = new Registry();
  readonly eventsIngested: Counter<'type'>;
  readonly sweepDuration: Histogram;
  readonly devicesEvaluated: Counter<'trigger'>;
  private readonly requestDuration: Histogram<'method' | 'route' | 'status'>;

  constructor(db: SqlExecutor, clock: Clock, sources: MetricSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'bhm_process_' });
    this.eventsIngested = new Counter({ name: 'bhm_events_ingested_total', help: 'Events accepted by ingestion (POST /events, ping URLs, mail), by event type.', labelNames: ['type'], registers });
    this.devicesEvaluated = new Counter({ name: 'bhm_devices_evaluated_total', help: 'Device evaluations, by what triggered them (ingest, sweep, settings, retire).', labelNames: ['trigger'], registers });
    this.sweepDuration = new Histogram({ name: 'bhm_sweep_duration_seconds', help: 'Duration of periodic sweeps run by this instance.', buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30], registers });
    this.requestDuration = new Histogram({
      name: 'bhm_http_request_duration_seconds',
      help: 'HTTP request latency by method, route pattern and status (streams are counted when they end).',
      labelNames: ['method', 'route', 'status'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    new Gauge({
      name: 'bhm_stream_subscribers',
      help: 'Open /stream subscriptions on this instance.',
      registers,
      collect() {
        this.set(sources.streamSubscribers());
      },
    });
    const replica = sources.replica;
    if (replica) {
      new Gauge({
        name: 'bhm_replica_lag_seconds',
        help: `How stale this instance's embedded replica may be: time since its last successful sync started (reads go to the primary past ${replica.maxLagMs / 1000} s).`,
        registers,
        collect() {
          this.set(replica.lagMs() / 1000);
        },
      });
      new Counter({
        name: 'bhm_replica_reads_total',
        help: 'Plain reads of this instance, by the copy that served them: the embedded replica, or the primary (after this instance wrote, until the next sync; or past the lag bound).',
        labelNames: ['source'],
        registers,
        collect() {
          const reads = replica.reads();
          this.reset();
          this.inc({ source: 'replica' }, reads.replica);
          this.inc({ source: 'primary' }, reads.primary);
        },
      });
    }
    const due = new Gauge({ name: 'bhm_evaluation_due_devices', help: 'Active devices whose next evaluation time has passed (all instances).', registers });
    const lag = new Gauge({ name: 'bhm_evaluation_lag_seconds', help: 'How long the most overdue device evaluation (time-driven or queued by ingest) has waited (0 when none is due).', registers });
    const queued = new Gauge({ name: 'bhm_evaluation_queue_devices', help: 'Devices whose stored events wait for evaluation (all instances).', registers });
    const queueLag = new Gauge({ name: 'bhm_evaluation_queue_lag_seconds', help: 'Age of the oldest evaluation mark left by ingest: the time from 202 to evaluated (0 when none waits).', registers });
    const depth = new Gauge({ name: 'bhm_outbox_depth', help: 'Outbound calls waiting for delivery, per integration.', labelNames: ['integration'], registers });
    const age = new Gauge({ name: 'bhm_outbox_oldest_age_seconds', help: 'Age of the oldest undelivered outbound call, per integration (0 when none waits).', labelNames: ['integration'], registers });
    const failed = new Gauge({ name: 'bhm_outbox_failed', help: 'Outbound calls given up (visible in the integration status until re-queued), per integration.', labelNames: ['integration'], registers });
    // One scrape reads the database once for all of them (a collect per gauge would read it five times).
    let reading: Promise<void> | null = null;
    const read = async () => {
      const now = clock();
      const evaluation = await db.get<{ due: number; oldest: number | null }>(EVALUATION_LAG_SQL, [now]);
      const queue = await db.get<{ pending: number; oldest: number | null }>(QUEUE_SQL);
      const ageOf = (oldest: number | null | undefined) => (oldest != null ? Math.max(0, now - Number(oldest)) / 1000 : 0);
      due.set(Number(evaluation?.due ?? 0));
      queued.set(Number(queue?.pending ?? 0));
      queueLag.set(ageOf(queue?.oldest));
      lag.set(Math.max(ageOf(evaluation?.oldest), ageOf(queue?.oldest)));
      const waiting = new Map((await db.all<{ channel: string; depth: number; oldest: number }>(OUTBOX_SQL)).map((row) => [row.channel, row]));
      const given = new Map((await db.all<{ channel: string; failed: number }>(OUTBOX_FAILED_SQL)).map((row) => [row.channel, Number(row.failed)]));
      for (const channel of CHANNELS) {
        const row = waiting.get(channel);
        depth.set({ integration: channel }, Number(row?.depth ?? 0));
        age.set({ integration: channel }, row ? Math.max(0, now - Number(row.oldest)) / 1000 : 0);
        failed.set({ integration: channel }, given.get(channel) ?? 0);
      }
    };
    this.refresh = () => (reading ??= read().finally(() => (reading = null)));
  }

  /** Reads the database-backed gauges (called on every scrape). */
  readonly refresh: () => Promise<void>;

  /** The text exposition of every metric. */
  async render(): Promise<{ body: string; contentType: string }> {
    await this.refresh();
    return { body: await this.registry.metrics(), contentType: this.registry.contentType };
  }

  /** Counts the events of an ingested batch by type (every path: the API, ping URLs, mail). */
  countIngested(events: readonly { type: string }[]): void {
    const counts = new Map<string, number>();
    for (const event of events) counts.set(event.type, (counts.get(event.type) ?? 0) + 1);
    for (const [type, count] of counts) this.eventsIngested.inc({ type }, count);
  }

  /** Times every request by its route pattern (`/api/v1/devices/:id`), never by its raw path. */
  middleware(): MiddlewareHandler {
    return async (c, next) => {
      const started = performance.now();
      await next();
      // The last matched route is the handler's; a request no route answered ends on a wildcard middleware.
      const pattern = routePath(c, -1);
      const route = c.res.status === 404 && pattern.endsWith('*') ? 'unmatched' : pattern;
      this.requestDuration.observe({ method: c.req.method, route, status: String(c.res.status) }, (performance.now() - started) / 1000);
    };
  }
}
