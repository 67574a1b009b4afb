/**
 * Keeps the demo fleet alive the way a real fleet behaves, in real time: each device
 * runs at its policy's slots (read from `GET /policies`, in its client's timezone, by
 * core's own schedule), a few minutes after the slot as agents do; the job is posted as
 * running when it starts and finished when its time is up (servers 20–90 min,
 * workstations 5–30, a NAS hours). A failed run is retried once or twice 15–60 minutes
 * later, within the run's merge window; failing devices recover now and then. Laptops
 * are off at weekends and check in only in office hours; agents check in hourly.
 * Storage grows, restore tests run, a quiet device comes back now and then.
 *
 * Time is not compressed: a Mon–Fri 22:00 workstation posts once a night. The fleet
 * spans timezones and 4-hourly and 6-hourly schedules, so something runs most minutes;
 * "Simulate a round of jobs" (`runNow`) brings the next due runs forward.
 * Everything goes through `POST /api/v1/events`, so the dashboard changes through the
 * product's own evaluation and live stream.
 */
import type { ClientItem, DeviceItem, Page } from '../core/api.ts';
import type { ApiClient } from './api-client.ts';
import { FAILURE_MESSAGES, WARNING_MESSAGES, iso, jobId, type IngestEvent } from './seed/events.ts';
import type { DeviceSpec, PolicySpec, Role, Scenario } from './seed/fleet.ts';
import { createRandom, hashString } from './seed/random.ts';
import { compiledPolicy, HOUR, isOfficeHours, isSwitchedOff, jobDuration, MAX_RETRIES, MINUTE, retryDeadline, RETRY_DELAY_MINUTES, slotAfter, type SlotDevice } from './seed/slots.ts';

/** What the simulator knows of a seeded device (from `buildFleet`). */
export type SimulatedSpec = Pick<DeviceSpec, 'role' | 'scenario' | 'startDelayMinutes' | 'flakiness'>;

export interface SimulatorOptions {
  /** Pause between ticks (default 3,000 ms); 0: no timer, call `tick()` yourself. */
  intervalMs?: number;
  /** The seeded devices by id: role, start delay and scenario (quiet devices stay quiet for a while). */
  devices?: ReadonlyMap<string, SimulatedSpec>;
  /** Clients not simulated (the ping and mail devices report by themselves). */
  skipClients?: readonly string[];
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
  /** One round at the clock's time: jobs whose slot (or retry) has come start, finished ones end. Resolves with the events posted. */
  tick(): Promise<IngestEvent[]>;
  /** A tick, then the next due runs of up to `count` idle devices brought forward and finished now (the demo's button). */
  runNow(count?: number): Promise<IngestEvent[]>;
  stop(): Promise<void>;
  readonly stats: SimulatorStats;
}

interface Attempt {
  slot: number;
  /** 0: the scheduled run; 1, 2: retries. */
  attempt: number;
  startAt: number;
}

interface SimDevice {
  item: DeviceItem;
  plan: SlotDevice;
  delayMs: number;
  flakiness: number;
  /** Posts nothing while quiet (seeded as overdue, silent, new or disconnected). */
  quiet: Scenario | null;
  /** The next job to start: a slot's run or a retry. */
  next: Attempt | null;
  /** The slot after the one in `next` (or the next one to plan). */
  nextSlot: number;
  running: (Attempt & { id: string; endsAt: number }) | null;
  consecutiveFailures: number;
  usedBytes: number | null;
  /** Check-ins: the hour of the last one (each device at its own minute). */
  checkinOffset: number;
  lastCheckinHour: number;
}

/** Devices that stay quiet until the simulator lets them come back. */
const QUIET: ReadonlySet<Scenario> = new Set(['overdue', 'silent', 'new', 'consent-expired', 'away']);
/** A retry succeeds this often; a failing device's run fails this often. */
const RETRY_SUCCESS = 0.65;
const FAILING_FAILS = 0.6;
const ROLE_OF_POLICY: Readonly<Record<string, Role>> = {
  workstations: 'desktop',
  laptops: 'laptop',
  'servers-nightly': 'server',
  'servers-4h': 'critical-server',
  'nas-weekly': 'nas',
  'archive-monthly': 'archive',
  'saas-6h': 'saas',
};

export function startSimulator(api: ApiClient, options: SimulatorOptions = {}): Simulator {
  const intervalMs = options.intervalMs ?? 3_000;
  const clock = options.clock ?? Date.now;
  const random = createRandom(options.seed ?? Date.now() & 0xffff);
  const stats: SimulatorStats = { ticks: 0, jobs: 0, failures: 0, recoveries: 0, lastTickAt: null };
  let devices: SimDevice[] | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<unknown> = Promise.resolve();

  async function load(now: number): Promise<SimDevice[]> {
    const items: DeviceItem[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<DeviceItem> = await api.get(`/devices?limit=500&sort=name${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    const clients: Page<ClientItem> = await api.get('/clients?limit=500');
    const timezones = new Map(clients.items.map((client) => [client.id, client.timezone]));
    // The policies as stored: an edit in Settings changes what the simulator runs.
    const policies = new Map((await api.get('/policies')).items.map((policy): [string, PolicySpec] => [policy.id, toPolicySpec(policy)]));
    const skip = new Set(options.skipClients ?? []);
    const loaded: SimDevice[] = [];
    for (const item of items) {
      const policy = policies.get(item.policy.id);
      if (!policy || skip.has(item.client.id)) continue;
      const spec = options.devices?.get(item.id);
      const role = spec?.role ?? ROLE_OF_POLICY[policy.id] ?? (item.kind === 'workstation' ? 'desktop' : item.kind);
      const plan: SlotDevice = { id: item.id, role, timezone: timezones.get(item.client.id) ?? 'UTC', policy };
      try {
        compiledPolicy(plan);
      } catch {
        continue; // A schedule core refuses (the API would not have stored it).
      }
      const delayMs = (spec?.startDelayMinutes ?? hashString(item.id) % 20) * MINUTE;
      const lastSuccess = item.lastSuccessAt ? Date.parse(item.lastSuccessAt) : 0;
      // The first slot the seeded history did not run (a slot that started just before the seed ended counts as run).
      const nextSlot = slotAfter(plan, Math.max(now - delayMs - 4 * MINUTE, lastSuccess));
      const checkinOffset = (hashString(`checkin:${item.id}`) % 60) * MINUTE;
      loaded.push({
        item,
        plan,
        delayMs,
        flakiness: Math.min(spec?.flakiness ?? 0.02, 0.03),
        quiet: spec && QUIET.has(spec.scenario) ? spec.scenario : null,
        next: null,
        nextSlot,
        running: null,
        consecutiveFailures: item.consecutiveFailures,
        usedBytes: item.storage.usedBytes,
        checkinOffset,
        lastCheckinHour: Math.floor((now - checkinOffset) / HOUR),
      });
    }
    return loaded;
  }

  /** The next slot the device is on for (laptops are off at weekends: no job, so the run is skipped). */
  function planNext(device: SimDevice, now: number): Attempt | null {
    const grace = compiledPolicy(device.plan).graceMs;
    for (let guard = 0; guard < 1_000 && Number.isFinite(device.nextSlot); guard++) {
      const slot = device.nextSlot;
      device.nextSlot = slotAfter(device.plan, slot);
      // A slot long gone (the demo was paused) is not run late.
      if (isSwitchedOff(device.plan, slot) || slot + device.delayMs + grace < now) continue;
      return { slot, attempt: 0, startAt: slot + device.delayMs };
    }
    return null;
  }

  function startJob(device: SimDevice, attempt: Attempt): IngestEvent {
    let endsAt = attempt.startAt + jobDuration(device.plan.role, random);
    if (attempt.attempt > 0) endsAt = Math.min(endsAt, retryDeadline(device.plan, attempt.slot, attempt.startAt));
    const id = jobId(device.item.id, attempt.startAt);
    device.running = { ...attempt, id, endsAt };
    device.next = null;
    return { type: 'job', id, deviceId: device.item.id, status: 'running', startedAt: iso(attempt.startAt) };
  }

  /** Ends the running job: failing devices recover sometimes, healthy ones fail rarely; a failure is retried within its run's window. */
  function finishJob(device: SimDevice, endedAt = device.running!.endsAt): IngestEvent[] {
    const run = device.running!;
    device.running = null;
    const failingNow = device.consecutiveFailures > 0;
    const failed = run.attempt > 0 ? !random.chance(RETRY_SUCCESS) : random.chance(failingNow ? FAILING_FAILS : device.flakiness);
    const status = failed ? 'failed' : random.chance(0.03) ? 'warning' : 'success';
    stats.jobs++;
    const events: IngestEvent[] = [];
    const message = failed ? random.pick(FAILURE_MESSAGES[device.item.kind]) : status === 'warning' ? random.pick(WARNING_MESSAGES) : undefined;
    events.push({
      type: 'job',
      id: run.id,
      deviceId: device.item.id,
      status,
      startedAt: iso(run.startAt),
      endedAt: iso(endedAt),
      bytes: failed ? 0 : Math.round(random.between(0.2, 6) * 1e9),
      ...(message ? { message } : {}),
    });
    if (failed) {
      stats.failures++;
      const retryAt = endedAt + Math.round(random.between(...RETRY_DELAY_MINUTES) * MINUTE);
      if (run.attempt < MAX_RETRIES && retryAt + 4 * MINUTE < retryDeadline(device.plan, run.slot, endedAt)) {
        device.next = { slot: run.slot, attempt: run.attempt + 1, startAt: retryAt };
        return events;
      }
      device.consecutiveFailures++;
    } else {
      if (failingNow) stats.recoveries++;
      device.consecutiveFailures = 0;
      if (random.chance(0.3)) events.push(storageReport(device, endedAt + 1_000));
      if (device.item.kind === 'server' && random.chance(0.1)) events.push(restoreTest(device, endedAt + 60_000));
    }
    return events;
  }

  /** One device at `now`: a job that is done ends, one whose time has come starts, an hourly check-in. */
  function advance(device: SimDevice, now: number): IngestEvent[] {
    const events: IngestEvent[] = [];
    if (device.running && device.running.endsAt <= now) events.push(...finishJob(device));
    if (!device.running) {
      device.next ??= planNext(device, now);
      if (device.next && device.next.startAt <= now) {
        events.push(startJob(device, device.next));
        if (device.running!.endsAt <= now) events.push(...finishJob(device));
      }
    }
    const hour = Math.floor((now - device.checkinOffset) / HOUR);
    if (hour > device.lastCheckinHour) {
      device.lastCheckinHour = hour;
      if (device.item.kind !== 'saas' && (device.plan.role !== 'laptop' || isOfficeHours(device.plan.timezone, now))) {
        events.push({ type: 'checkin', deviceId: device.item.id, at: iso(now - 500) });
      }
    }
    return events;
  }

  async function tick(): Promise<IngestEvent[]> {
    const now = clock();
    devices ??= await load(now);
    stats.ticks++;
    const events: IngestEvent[] = [];
    for (const device of devices) if (device.quiet === null) events.push(...advance(device, now));
    const quiet = devices.filter((d) => d.quiet === 'overdue' || d.quiet === 'consent-expired');
    if (quiet.length && random.chance(0.01)) events.push(...comeBack(random.pick(quiet), now));
    if (events.length) await api.post('/events', { events });
    stats.lastTickAt = iso(now);
    return events;
  }

  async function runNow(count = 5): Promise<IngestEvent[]> {
    const events = await tick();
    const now = clock();
    const idle = devices!.filter((d) => d.quiet === null && !d.running);
    for (const device of idle) device.next ??= planNext(device, now);
    const soonest = idle.filter((d) => d.next !== null).sort((a, b) => a.next!.startAt - b.next!.startAt).slice(0, count);
    const brought: IngestEvent[] = [];
    for (const device of soonest) {
      // As if someone pressed "Run now" in the backup tool: the next run, done by now.
      const next = device.next!;
      const startAt = now - jobDuration(device.plan.role, random);
      device.running = { ...next, startAt, id: jobId(device.item.id, startAt), endsAt: now - 1_000 };
      device.next = null;
      brought.push(...finishJob(device));
    }
    if (brought.length) await api.post('/events', { events: brought });
    return [...events, ...brought];
  }

  function storageReport(device: SimDevice, at: number): IngestEvent {
    const quota = device.item.storage.quotaBytes;
    const base = device.usedBytes ?? (quota ? quota * 0.4 : 200e9);
    // Grows by up to 0.4 % of the quota (or of the size), a little faster near the top.
    const step = (quota ?? base) * random.between(0.0005, quota && base / quota > 0.85 ? 0.006 : 0.004);
    device.usedBytes = Math.round(quota ? Math.min(base + step, quota * 0.995) : base + step);
    return { type: 'storage', deviceId: device.item.id, at: iso(at), usedBytes: device.usedBytes, ...(quota ? { quotaBytes: quota } : {}) };
  }

  function restoreTest(device: SimDevice, at: number): IngestEvent {
    const result = random.chance(0.92) ? 'passed' : 'failed';
    return {
      type: 'dr_test',
      id: `dr-${device.item.id}-${at.toString(36)}`,
      deviceId: device.item.id,
      at: iso(at),
      result,
      ...(result === 'failed' ? { message: 'Restore verification: the restored volume failed its checksum comparison.' } : {}),
    };
  }

  /** A quiet device is fixed by a technician: consent is granted again, the agent runs its missed backup at once. */
  function comeBack(device: SimDevice, now: number): IngestEvent[] {
    const events: IngestEvent[] = [];
    if (device.quiet === 'consent-expired') events.push({ type: 'saas_consent', deviceId: device.item.id, at: iso(now - 60_000), state: 'ok' });
    device.quiet = null;
    device.consecutiveFailures = 0;
    stats.recoveries++;
    // Inside the next slot's window the catch-up run is that slot's run; otherwise one of its own.
    const upcoming = slotAfter(device.plan, now);
    const inWindow = now >= upcoming - compiledPolicy(device.plan).graceMs;
    device.nextSlot = inWindow ? slotAfter(device.plan, upcoming) : upcoming;
    device.next = null;
    events.push(startJob(device, { slot: inWindow ? upcoming : now, attempt: 0, startAt: now - 1_000 }));
    return events;
  }

  // Ticks never overlap: a manual tick waits for the timer's and the other way round.
  const queued = <T>(work: () => Promise<T>): Promise<T> => {
    const next = inFlight.catch(() => undefined).then(work);
    inFlight = next;
    return next;
  };
  const schedule = () => {
    if (stopped || intervalMs <= 0) return;
    timer = setTimeout(() => {
      queued(tick)
        .catch((error) => options.onError?.(error))
        .finally(schedule);
    }, intervalMs);
    timer.unref?.();
  };
  schedule();

  return {
    tick: () => queued(tick),
    runNow: (count) => queued(() => runNow(count)),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inFlight.catch(() => undefined);
    },
    stats,
  };
}

/** A stored policy as the plan reads it. */
function toPolicySpec(policy: { id: string; name: string; schedule: PolicySpec['schedule']; graceHours: number | null; offline: PolicySpec['offline'] | null; merge: PolicySpec['merge']; mergeRule: PolicySpec['mergeRule'] }): PolicySpec {
  return {
    id: policy.id,
    name: policy.name,
    schedule: policy.schedule,
    ...(policy.graceHours !== null ? { graceHours: policy.graceHours } : {}),
    ...(policy.offline ? { offline: policy.offline } : {}),
    merge: policy.merge,
    mergeRule: policy.mergeRule,
  };
}
