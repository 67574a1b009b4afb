/**
 * One device's past as events, ending at `now`, run by run: each slot of its policy (in
 * its client's timezone) gives one job a few minutes after the slot, lasting what such a
 * backup lasts; a failed run is retried once or twice 15–60 minutes later, within the
 * run's merge window. Laptops are off at weekends (no job, no check-in: their runs are
 * skipped, not missed). The last week is shaped by the scenario; older history is
 * ordinary. Also DR tests, storage reports, check-ins and SaaS consent. Returned in time
 * order, ready for `POST /events`.
 */
import { DAY, HOUR } from '../../core/types.ts';
import { CONSENT_FAILURE, FAILURE_MESSAGES, WARNING_MESSAGES, eventTime, iso, jobId, type IngestEvent } from './events.ts';
import { policyOf, type DeviceSpec } from './fleet.ts';
import type { Random } from './random.ts';
import { compiledPolicy, isOfficeHours, isSwitchedOff, jobDuration, MAX_RETRIES, MINUTE, retryDeadline, RETRY_DELAY_MINUTES, slotsBetween, type SlotDevice } from './slots.ts';

/** The last week is shaped by the scenario; older history is ordinary. */
const RECENT = 7 * DAY;
/** A retry succeeds this often. */
const RETRY_SUCCESS = 0.65;

export interface HistoryOptions {
  /** Days of history (default 30). */
  days?: number;
  /** Days of history for interval schedules of under 4 hours (default: the same as `days`; none in today's fleet). */
  hourlyDays?: number;
}

interface PlannedJob {
  startedAt: number;
  /** null: still running at `now`. */
  endedAt: number | null;
  status: 'success' | 'warning' | 'failed' | 'running';
  message?: string;
}

/** One scheduled run: its first job and its retries. */
interface PlannedRun {
  slot: number;
  jobs: PlannedJob[];
}

/** The plan's view of a fleet device. */
export function slotDevice(device: DeviceSpec): SlotDevice {
  return { id: device.id, role: device.role, timezone: device.timezone, policy: policyOf(device.role) };
}

/** Builds the events of `device` for the period ending at `now`. */
export function deviceHistory(device: DeviceSpec, now: number, random: Random, options: HistoryOptions = {}): IngestEvent[] {
  if (device.scenario === 'new') return [];
  const plan = slotDevice(device);
  const days = device.intervalHours < 4 ? (options.hourlyDays ?? options.days ?? 30) : (options.days ?? 30);
  const from = now - days * DAY;
  // Runs from here on do not happen (and when silent or away, nothing else does either).
  const quietSince = quietPoint(device, plan, now, random);
  const consentExpiredAt = device.scenario === 'consent-expired' ? now - random.between(26, 60) * HOUR : null;

  const runs = plannedRuns(device, plan, from, quietSince, now, random);
  shapeRecentRuns(device, plan, runs, now, random);
  if (consentExpiredAt !== null) {
    for (const run of runs) {
      if (run.slot < consentExpiredAt) continue;
      for (const job of run.jobs) if (job.endedAt !== null) Object.assign(job, { status: 'failed', message: CONSENT_FAILURE });
    }
  }

  const events: IngestEvent[] = runs.flatMap((run) =>
    run.jobs.map((job): IngestEvent => {
      const id = jobId(device.id, job.startedAt);
      if (job.endedAt === null) return { type: 'job', id, deviceId: device.id, status: 'running', startedAt: iso(job.startedAt) };
      return {
        type: 'job',
        id,
        deviceId: device.id,
        status: job.status as 'success' | 'warning' | 'failed',
        startedAt: iso(job.startedAt),
        endedAt: iso(job.endedAt),
        bytes: job.status === 'failed' ? 0 : Math.round(device.jobBytes * random.between(0.6, 1.4)),
        ...(job.message ? { message: job.message } : {}),
      };
    }),
  );
  const goneQuiet = device.scenario === 'silent' || device.scenario === 'away';
  events.push(...drTests(device, from, Math.min(quietSince, now), now, random));
  events.push(...storageReports(device, from, goneQuiet ? quietSince : now, now, random));
  if (device.kind === 'saas') {
    events.push({ type: 'saas_consent', deviceId: device.id, at: iso(from - HOUR), state: 'ok' });
    if (consentExpiredAt !== null) events.push({ type: 'saas_consent', deviceId: device.id, at: iso(Math.round(consentExpiredAt)), state: 'expired' });
  } else if (!goneQuiet) {
    // The agent's check-in a few minutes ago; a laptop only checks in while it is on (office hours).
    const at = Math.round(now - random.between(1, 14) * MINUTE);
    if (device.role !== 'laptop' || isOfficeHours(device.timezone, at)) events.push({ type: 'checkin', deviceId: device.id, at: iso(at) });
  }
  return events.sort((a, b) => eventTime(a) - eventTime(b));
}

/**
 * Where the device's runs stop. Overdue: the newest slot whose grace has passed did not
 * run (a Warning; interval: 7–9 h without a run, past 1.5 × the interval). Silent: the
 * runs stopped over 52 h ago (Critical). Away: a laptop off for 2–12 days. Else `now`.
 */
function quietPoint(device: DeviceSpec, plan: SlotDevice, now: number, random: Random): number {
  const compiled = compiledPolicy(plan);
  const calendar = compiled.calendar;
  switch (device.scenario) {
    case 'overdue':
      if (!calendar) return now - random.between(7, 9) * HOUR;
      return calendar.slotAtOrBefore(now - compiled.graceMs - random.between(10, 60) * MINUTE) ?? now;
    case 'silent': {
      const since = now - random.between(52, 100) * HOUR;
      return calendar ? (calendar.slotAtOrBefore(since) ?? since) : since;
    }
    case 'away':
      return now - random.between(2, 12) * DAY;
    default:
      return now;
  }
}

/** A run for every slot in [from, until) the device was on for, with ordinary failures, retries and warnings. */
function plannedRuns(device: DeviceSpec, plan: SlotDevice, from: number, until: number, now: number, random: Random): PlannedRun[] {
  const runs: PlannedRun[] = [];
  const interval = compiledPolicy(plan).calendar === null;
  for (const slot of slotsBetween(plan, from, Math.min(until, now))) {
    if (slot >= until || isSwitchedOff(device, slot)) continue;
    const startedAt = slot + (device.startDelayMinutes + random.between(0, 3)) * MINUTE;
    if (startedAt > now - MINUTE) break;
    const failed = random.chance(device.flakiness);
    const status = failed ? 'failed' : random.chance(0.03) ? 'warning' : 'success';
    const run: PlannedRun = { slot, jobs: [{ startedAt: Math.round(startedAt), endedAt: Math.round(startedAt + jobDuration(device.role, random)), status, message: messageFor(device, status, random) }] };
    if (failed) addRetries(device, plan, run, now, random, random.chance(0.35) ? 0 : RETRY_SUCCESS);
    runs.push(run);
  }
  // The job in progress at `now`: running (calendar), or for an interval schedule counted as
  // just finished rather than leave the device "slightly overdue" because this run takes
  // longer than the last (Part I measures from the last success).
  const last = runs[runs.length - 1];
  if (last) {
    last.jobs = last.jobs.filter((job) => job.startedAt <= now - MINUTE);
    for (const job of last.jobs) {
      if (job.endedAt === null || job.endedAt < now) continue;
      if (interval) job.endedAt = Math.round(now - random.between(5, 60) * 1_000);
      else Object.assign(job, { endedAt: null, status: 'running', message: undefined });
    }
  }
  return runs;
}

/**
 * Retries a failed run once or twice, 15–60 min after the failure, each succeeding with
 * `successChance`; a retry that would end after the run's merge window is not made.
 */
function addRetries(device: DeviceSpec, plan: SlotDevice, run: PlannedRun, now: number, random: Random, successChance: number): void {
  while (run.jobs.length <= MAX_RETRIES) {
    const failure = run.jobs[run.jobs.length - 1]!;
    if (failure.status !== 'failed' || failure.endedAt === null) return;
    const startedAt = Math.round(failure.endedAt + random.between(...RETRY_DELAY_MINUTES) * MINUTE);
    // Not yet due: the retry is still to come.
    if (startedAt > now - 2 * MINUTE) return;
    const deadline = retryDeadline(plan, run.slot, failure.endedAt);
    const endedAt = Math.min(startedAt + jobDuration(device.role, random), deadline, now - 5_000);
    // Too little of the window left for a real job: the run stays failed.
    if (endedAt - startedAt < 4 * MINUTE) return;
    const ok = random.chance(successChance);
    run.jobs.push({ startedAt, endedAt, status: ok ? 'success' : 'failed', message: ok ? undefined : messageFor(device, 'failed', random) });
  }
}

/** Makes every job of a run fail (retried where the window allows). */
function failRun(device: DeviceSpec, plan: SlotDevice, run: PlannedRun | undefined, now: number, random: Random): void {
  if (!run || run.jobs.some((job) => job.endedAt === null)) return;
  run.jobs = [{ ...run.jobs[0]!, status: 'failed', message: messageFor(device, 'failed', random) }];
  addRetries(device, plan, run, now, random, 0);
}

/** Rewrites the last week so that the device's current state is its scenario's. */
function shapeRecentRuns(device: DeviceSpec, plan: SlotDevice, runs: PlannedRun[], now: number, random: Random): void {
  const recent = runs.filter((run) => run.slot >= now - RECENT);
  const rule = plan.policy.mergeRule;
  for (const run of recent) {
    const lastJob = run.jobs[run.jobs.length - 1]!;
    if (rule === 'worst' && run.jobs.some((job) => job.status === 'failed')) {
      // A failed attempt would fail the whole run: this week it ran cleanly.
      run.jobs = [{ ...run.jobs[0]!, status: 'success', message: undefined }];
    } else if (lastJob.status === 'failed') {
      // A retry that worked (merged by the policy's rule, the run succeeded).
      Object.assign(lastJob, { status: 'success', message: undefined });
    }
  }
  const completed = recent.filter((run) => run.jobs.every((job) => job.endedAt !== null));
  const last = completed.length - 1;
  switch (device.scenario) {
    case 'failing': {
      const streak = random.int(3, 5);
      for (let i = Math.max(0, last - streak + 1); i <= last; i++) failRun(device, plan, completed[i], now, random);
      break;
    }
    case 'failed-recently': {
      // One or two failed runs one to five days ago; the newest run succeeded.
      const candidates = completed.filter((run, i) => i < last && run.slot >= now - 5 * DAY && run.slot <= now - 20 * HOUR);
      failRun(device, plan, candidates.length ? random.pick(candidates) : completed[last - 1], now, random);
      if (random.chance(0.4) && candidates.length > 1) failRun(device, plan, random.pick(candidates), now, random);
      break;
    }
    case 'recovered': {
      // A streak that ended 2–20 days ago; older than a week it no longer shows.
      const endsAt = now - random.between(2, 20) * DAY;
      const index = runs.findIndex((run) => run.slot >= endsAt);
      const streak = random.int(3, 6);
      for (let i = Math.max(0, index - streak); i < index; i++) failRun(device, plan, runs[i], now, random);
      break;
    }
    case 'running': {
      // The newest run is a long one, still going (only where that is plausible: within the grace).
      const run = runs[runs.length - 1];
      const job = run?.jobs[0];
      if (run && job && run.jobs.length === 1 && job.endedAt !== null && now - job.startedAt < compiledPolicy(plan).graceMs - 30 * MINUTE) {
        Object.assign(job, { endedAt: null, status: 'running', message: undefined });
      }
      break;
    }
    default:
      break;
  }
}

function drTests(device: DeviceSpec, from: number, until: number, now: number, random: Random): IngestEvent[] {
  if (!device.drTests && device.scenario !== 'dr-failed') return [];
  // Servers verify a restore weekly, other devices monthly.
  const every = device.kind === 'server' ? 7 * DAY : 30 * DAY;
  const newest = device.scenario === 'dr-failed' ? now - random.between(20, 90) * HOUR : until - random.between(0.5, every / DAY) * DAY;
  const tests: { at: number; result: 'passed' | 'failed' }[] = [];
  for (let at = newest; at >= from; at -= every) tests.push({ at: Math.round(at), result: random.chance(0.06) ? 'failed' : 'passed' });
  // The newest result is the scenario's; older ones keep their occasional failures.
  if (tests[0]) tests[0].result = device.scenario === 'dr-failed' ? 'failed' : 'passed';
  return tests.map((test) => ({
    type: 'dr_test',
    id: `dr-${device.id}-${test.at.toString(36)}`,
    deviceId: device.id,
    at: iso(test.at),
    result: test.result,
    ...(test.result === 'failed' ? { message: random.pick(DR_FAILURES) } : {}),
  }));
}

const DR_FAILURES = [
  'Restored VM did not boot: no bootable device found (BCD store missing).',
  'Restore verification: 14 of 2,310 sampled files failed checksum comparison.',
  'Restored SQL database failed DBCC CHECKDB (consistency errors in 2 tables).',
];

function storageReports(device: DeviceSpec, from: number, until: number, now: number, random: Random): IngestEvent[] {
  const every = device.kind === 'workstation' ? 2 * DAY : DAY;
  const reports: IngestEvent[] = [];
  const span = now - from;
  for (let at = until - random.between(1, 3) * HOUR; at >= from; at -= every) {
    const progress = (at - from) / span;
    const wobble = 1 + random.between(-0.004, 0.004);
    const usedBytes = Math.round((device.storageStart + (device.storageNow - device.storageStart) * progress) * wobble);
    reports.push({ type: 'storage', deviceId: device.id, at: iso(Math.round(at)), usedBytes, ...(device.quotaBytes ? { quotaBytes: device.quotaBytes } : {}) });
  }
  return reports;
}

function messageFor(device: DeviceSpec, status: 'success' | 'warning' | 'failed', random: Random): string | undefined {
  if (status === 'failed') return random.pick(FAILURE_MESSAGES[device.kind]);
  if (status === 'warning') return random.pick(WARNING_MESSAGES);
  return undefined;
}
