/**
 * Keeps the demo fleet alive the way a real fleet behaves: a device runs once per
 * scheduled run (never again before half its interval has passed), a failed run is
 * retried at most twice, 15–45 minutes apart, and jobs last what such jobs last
 * (servers 20–90 minutes, workstations 5–40, SaaS 10–60). Most succeed, some fail,
 * failing devices recover; now and then a job is still running for a while, storage
 * grows, a restore test runs and a quiet device comes back.
 * Everything goes through `POST /api/v1/events`, so the dashboard changes through
 * the product's own evaluation and live stream.
 */
import type { DeviceItem, Page } from '../core/api.ts';
import type { ApiClient } from './api-client.ts';
import { FAILURE_MESSAGES, WARNING_MESSAGES, iso, jobId, type IngestEvent } from './seed/events.ts';
import type { Scenario } from './seed/fleet.ts';
import { createRandom } from './seed/random.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface SimulatorOptions {
  /** Pause between ticks (default 3,000 ms); 0: no timer, call `tick()` yourself. */
  intervalMs?: number;
  /** What each device was seeded as (quiet devices stay quiet for a while). */
  scenarios?: ReadonlyMap<string, Scenario>;
  seed?: number;
  /** Epoch ms now (default Date.now). */
  clock?: () => number;
  onError?: (error: unknown) => void;
}

export interface SimulatorStats {
  ticks: number;
  jobs: number;
  failures: number;
  recoveries: number;
  lastTickAt: string | null;
}

export interface Simulator {
  /** One round of activity; resolves with the events it posted. */
  tick(): Promise<IngestEvent[]>;
  stop(): Promise<void>;
  readonly stats: SimulatorStats;
}

interface SimDevice {
  item: DeviceItem;
  /** Posts nothing while quiet (seeded as overdue, offline or disconnected). */
  quiet: Scenario | null;
  lastJobAt: number;
  /** When the last scheduled run (not a retry) started: one run per interval. */
  lastRunAt: number;
  /** Retries left for the current run, and when the next may start. */
  retriesLeft: number;
  retryAt: number;
  consecutiveFailures: number;
  usedBytes: number | null;
}

/** A device is due a little before its interval ends, so it never looks overdue for a moment. */
const DUE_SHARE = 0.9;
/** A run comes at most this early: never two runs within half an interval. */
const EARLIEST_SHARE = 0.5;
const RETRIES_PER_RUN = 2;
/** How long a job of each kind runs, in minutes. */
const DURATION_MINUTES: Record<DeviceItem['kind'], readonly [number, number]> = { server: [20, 90], workstation: [5, 40], saas: [10, 60] };

/** Devices that stay quiet until the simulator lets them come back. */
const QUIET: ReadonlySet<Scenario> = new Set(['overdue', 'silent', 'new', 'consent-expired']);

export function startSimulator(api: ApiClient, options: SimulatorOptions = {}): Simulator {
  const intervalMs = options.intervalMs ?? 3_000;
  const clock = options.clock ?? Date.now;
  const random = createRandom(options.seed ?? Date.now() & 0xffff);
  const stats: SimulatorStats = { ticks: 0, jobs: 0, failures: 0, recoveries: 0, lastTickAt: null };
  const running = new Map<string, { event: Extract<IngestEvent, { type: 'job' }>; device: SimDevice; finishAfterTick: number }>();
  let devices: SimDevice[] | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<unknown> = Promise.resolve();

  async function load(): Promise<SimDevice[]> {
    const items: DeviceItem[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<DeviceItem> = await api.get(`/devices?limit=500&sort=name${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items.map((item) => {
      const scenario = options.scenarios?.get(item.id) ?? null;
      return {
        item,
        quiet: scenario && QUIET.has(scenario) ? scenario : null,
        lastJobAt: item.lastSuccessAt ? Date.parse(item.lastSuccessAt) : 0,
        lastRunAt: item.lastSuccessAt ? Date.parse(item.lastSuccessAt) : 0,
        retriesLeft: 0,
        retryAt: Infinity,
        consecutiveFailures: item.consecutiveFailures,
        usedBytes: item.storage.usedBytes,
      };
    });
  }

  async function tick(): Promise<IngestEvent[]> {
    devices ??= await load();
    const now = clock();
    stats.ticks++;
    const events: IngestEvent[] = [];
    const active = devices.filter((d) => d.quiet === null);

    for (const [id, run] of running) {
      if (run.finishAfterTick > stats.ticks) continue;
      running.delete(id);
      events.push(...finishJob(run.device, run.event, now));
    }

    // Runs that are due (oldest first, a share per tick so a restart does not burst),
    // retries whose time has come, and — so the demo moves every few seconds — now and
    // then the run that is nearest, early but never before half its interval.
    const idle = active.filter((d) => !running.has(d.item.id));
    const intervalOf = (d: SimDevice) => d.item.policy.intervalHours * HOUR;
    const due = idle.filter((d) => d.lastRunAt + DUE_SHARE * intervalOf(d) < now).sort((a, b) => a.lastRunAt - b.lastRunAt);
    const picks = new Map<SimDevice, 'run' | 'retry'>(due.slice(0, Math.ceil(due.length / 20)).map((d) => [d, 'run']));
    for (const d of idle) if (d.retriesLeft > 0 && d.retryAt <= now && !picks.has(d)) picks.set(d, 'retry');
    const early = idle.filter((d) => !picks.has(d) && d.lastRunAt + EARLIEST_SHARE * intervalOf(d) < now);
    if (early.length && (picks.size === 0 || random.chance(0.5))) {
      const next = early.reduce((a, b) => (a.lastRunAt + intervalOf(a) <= b.lastRunAt + intervalOf(b) ? a : b));
      picks.set(random.chance(0.5) ? next : random.pick(early), 'run');
    }
    for (const [device, kind] of picks) {
      const [shortest, longest] = DURATION_MINUTES[device.item.kind];
      const startedAt = now - Math.round(random.between(shortest, longest) * MINUTE);
      if (kind === 'run') {
        device.lastRunAt = startedAt;
        device.retriesLeft = RETRIES_PER_RUN;
      } else {
        device.retriesLeft -= 1;
      }
      device.retryAt = Infinity;
      const event = { type: 'job', id: jobId(device.item.id, startedAt), deviceId: device.item.id, status: 'running', startedAt: iso(startedAt) } as const;
      if (random.chance(0.12)) {
        running.set(device.item.id, { event, device, finishAfterTick: stats.ticks + random.int(2, 4) });
        events.push(event);
      } else {
        events.push(...finishJob(device, event, now));
      }
    }

    if (random.chance(0.3)) events.push(storageReport(random.pick(active), now));
    if (random.chance(0.04)) events.push(...restoreTest(devices, now));
    const quiet = devices.filter((d) => d.quiet === 'overdue' || d.quiet === 'consent-expired');
    if (quiet.length && random.chance(0.01)) events.push(...comeBack(random.pick(quiet), now));

    if (events.length) await api.post('/events', { events });
    stats.lastTickAt = iso(now);
    return events;
  }

  /** Ends a job: failing devices recover sometimes, healthy ones fail rarely. */
  function finishJob(device: SimDevice, started: Extract<IngestEvent, { type: 'job' }>, now: number): IngestEvent[] {
    const failingNow = device.consecutiveFailures > 0;
    const failed = failingNow ? !random.chance(0.35) : random.chance(0.015);
    const status = failed ? 'failed' : random.chance(0.04) ? 'warning' : 'success';
    const endedAt = Math.max(Date.parse(started.startedAt) + MINUTE, now - 1_000);
    stats.jobs++;
    if (failed) stats.failures++;
    if (failingNow && !failed) stats.recoveries++;
    device.consecutiveFailures = failed ? device.consecutiveFailures + 1 : 0;
    device.lastJobAt = endedAt;
    // A failed run is tried again later (the retries of one run count as that run).
    device.retryAt = failed && device.retriesLeft > 0 ? now + Math.round(random.between(15, 45) * MINUTE) : Infinity;
    const message = failed ? random.pick(FAILURE_MESSAGES[device.item.kind]) : status === 'warning' ? random.pick(WARNING_MESSAGES) : undefined;
    return [
      {
        ...started,
        status,
        endedAt: iso(endedAt),
        bytes: failed ? 0 : Math.round(random.between(0.2, 6) * 1e9),
        ...(message ? { message } : {}),
      },
    ];
  }

  function storageReport(device: SimDevice, now: number): IngestEvent {
    const quota = device.item.storage.quotaBytes;
    const base = device.usedBytes ?? (quota ? quota * 0.4 : 200e9);
    // Grows by up to 0.4 % of the quota (or of the size), a little faster near the top.
    const step = (quota ?? base) * random.between(0.0005, quota && base / quota > 0.85 ? 0.006 : 0.004);
    device.usedBytes = Math.round(quota ? Math.min(base + step, quota * 0.995) : base + step);
    return { type: 'storage', deviceId: device.item.id, at: iso(now - 500), usedBytes: device.usedBytes, ...(quota ? { quotaBytes: quota } : {}) };
  }

  function restoreTest(all: SimDevice[], now: number): IngestEvent[] {
    const servers = all.filter((d) => d.item.kind === 'server' && d.quiet === null);
    if (!servers.length) return [];
    const device = random.pick(servers);
    const result = random.chance(0.92) ? 'passed' : 'failed';
    return [
      {
        type: 'dr_test',
        id: `dr-${device.item.id}-${now.toString(36)}`,
        deviceId: device.item.id,
        at: iso(now - 800),
        result,
        ...(result === 'failed' ? { message: 'Restore verification: the restored volume failed its checksum comparison.' } : {}),
      },
    ];
  }

  /** A quiet device is fixed by a technician: the agent runs again, or consent is granted again. */
  function comeBack(device: SimDevice, now: number): IngestEvent[] {
    const events: IngestEvent[] = [];
    if (device.quiet === 'consent-expired') events.push({ type: 'saas_consent', deviceId: device.item.id, at: iso(now - 60_000), state: 'ok' });
    device.quiet = null;
    device.consecutiveFailures = 0;
    const startedAt = now - 15 * MINUTE;
    const endedAt = now - 1_000;
    device.lastJobAt = endedAt;
    device.lastRunAt = startedAt;
    stats.jobs++;
    stats.recoveries++;
    events.push({ type: 'job', id: jobId(device.item.id, startedAt), deviceId: device.item.id, status: 'success', startedAt: iso(startedAt), endedAt: iso(endedAt), bytes: 3e9 });
    return events;
  }

  // Ticks never overlap: a manual tick waits for the timer's and the other way round.
  const queued = (): Promise<IngestEvent[]> => {
    const next = inFlight.catch(() => undefined).then(tick);
    inFlight = next;
    return next;
  };
  const schedule = () => {
    if (stopped || intervalMs <= 0) return;
    timer = setTimeout(() => {
      queued()
        .catch((error) => options.onError?.(error))
        .finally(schedule);
    }, intervalMs);
    timer.unref?.();
  };
  schedule();

  return {
    tick: queued,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inFlight.catch(() => undefined);
    },
    stats,
  };
}
