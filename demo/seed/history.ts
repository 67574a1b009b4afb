/**
 * One device's past as events, ending at `now`: scheduled jobs (with ordinary
 * failures and the device's scenario in the last week), DR tests, storage reports,
 * check-ins and SaaS consent. Returned in time order, ready for `POST /events`.
 */
import { DAY, HOUR } from '../../core/types.ts';
import { CONSENT_FAILURE, FAILURE_MESSAGES, WARNING_MESSAGES, eventTime, iso, jobId, type IngestEvent } from './events.ts';
import type { DeviceSpec } from './fleet.ts';
import type { Random } from './random.ts';

const MINUTE = 60_000;
/** The last week is shaped by the scenario; older history is ordinary. */
const RECENT = 7 * DAY;

export interface HistoryOptions {
  /** Days of history for daily and 4-hourly policies (default 30). */
  days?: number;
  /** Days of history for hourly policies (default: the same as `days`). */
  hourlyDays?: number;
}

interface PlannedJob {
  startedAt: number;
  endedAt: number;
  status: 'success' | 'warning' | 'failed';
  message?: string;
}

/** Builds the events of `device` for the period ending at `now`. */
export function deviceHistory(device: DeviceSpec, now: number, random: Random, options: HistoryOptions = {}): IngestEvent[] {
  if (device.scenario === 'new') return [];
  const days = device.intervalHours === 1 ? (options.hourlyDays ?? options.days ?? 30) : (options.days ?? 30);
  const from = now - days * DAY;
  // Where the device went quiet: jobs (and, when silent, everything) stop here.
  const quietSince =
    device.scenario === 'overdue'
      ? now - (device.kind === 'server' ? random.between(19, 40) : random.between(27, 44)) * HOUR
      : device.scenario === 'silent'
        ? now - random.between(3, 6) * DAY
        : now;
  const consentExpiredAt = device.scenario === 'consent-expired' ? now - random.between(26, 60) * HOUR : null;

  const jobs = scheduledJobs(device, from, Math.min(quietSince, now - 2 * MINUTE), random);
  shapeRecentJobs(device, jobs, now, random);
  if (consentExpiredAt !== null) {
    for (const job of jobs) if (job.startedAt >= consentExpiredAt) Object.assign(job, { status: 'failed', message: CONSENT_FAILURE });
  }

  const events: IngestEvent[] = jobs.map((job) => ({
    type: 'job',
    id: jobId(device.id, job.startedAt),
    deviceId: device.id,
    status: job.status,
    startedAt: iso(job.startedAt),
    endedAt: iso(job.endedAt),
    bytes: job.status === 'failed' ? 0 : Math.round(device.jobBytes * random.between(0.6, 1.4)),
    ...(job.message ? { message: job.message } : {}),
  }));
  if (device.scenario === 'running') {
    const startedAt = now - random.between(2, 25) * MINUTE;
    events.push({ type: 'job', id: jobId(device.id, Math.round(startedAt)), deviceId: device.id, status: 'running', startedAt: iso(Math.round(startedAt)) });
  }
  events.push(...drTests(device, from, Math.min(quietSince, now), now, random));
  events.push(...storageReports(device, from, device.scenario === 'silent' ? quietSince : now, now, random));
  if (device.kind === 'saas') {
    events.push({ type: 'saas_consent', deviceId: device.id, at: iso(from - HOUR), state: 'ok' });
    if (consentExpiredAt !== null) events.push({ type: 'saas_consent', deviceId: device.id, at: iso(Math.round(consentExpiredAt)), state: 'expired' });
  } else if (device.scenario !== 'silent') {
    events.push({ type: 'checkin', deviceId: device.id, at: iso(Math.round(now - random.between(1, 14) * MINUTE)) });
  }
  return events.sort((a, b) => eventTime(a) - eventTime(b));
}

/** Jobs at the policy's slots in [from, until), with ordinary failures and warnings. */
function scheduledJobs(device: DeviceSpec, from: number, until: number, random: Random): PlannedJob[] {
  const interval = device.intervalHours * HOUR;
  const anchor = (device.intervalHours >= 24 ? device.startHourUtc : device.startHourUtc % device.intervalHours) * HOUR + device.startMinute * MINUTE;
  let slot = Math.floor((from - anchor) / interval) * interval + anchor;
  if (slot < from) slot += interval;
  // Hourly devices have many more chances to fail in a week: scale so that all policies
  // fail about as often per day.
  const perJob = device.flakiness * Math.min(1, 6 / (24 / device.intervalHours));
  const jobs: PlannedJob[] = [];
  let previousFailed = false;
  for (; slot < until; slot += interval) {
    const startedAt = slot + Math.round(random.between(0, 4) * MINUTE);
    let endedAt = startedAt + Math.round(duration(device, random));
    if (endedAt >= until) {
      // The job in progress at the end: count it as just finished rather than leave the
      // device looking "slightly overdue" because this run takes longer than the last.
      if (startedAt > until - 2 * MINUTE) break;
      endedAt = until - Math.round(random.between(5, 60) * 1_000);
    }
    const failed = random.chance(previousFailed ? 0.35 : perJob);
    previousFailed = failed;
    const status = failed ? 'failed' : random.chance(0.03) ? 'warning' : 'success';
    jobs.push({ startedAt, endedAt, status, message: messageFor(device, status, random) });
  }
  return jobs;
}

/** Rewrites the last week so that the device's current state is its scenario's. */
function shapeRecentJobs(device: DeviceSpec, jobs: PlannedJob[], now: number, random: Random): void {
  const recent = jobs.filter((job) => job.endedAt >= now - RECENT);
  for (const job of recent) {
    if (job.status === 'failed') Object.assign(job, { status: 'success', message: undefined });
  }
  const fail = (job: PlannedJob | undefined) => job && Object.assign(job, { status: 'failed', message: messageFor(device, 'failed', random) });
  const last = recent.length - 1;
  switch (device.scenario) {
    case 'failing': {
      const streak = random.int(3, 5);
      for (let i = Math.max(0, last - streak + 1); i <= last; i++) fail(recent[i]);
      break;
    }
    case 'failed-recently': {
      // One or two failures one to five days ago; the newest job succeeded.
      const candidates = recent.filter((job, i) => i < last && job.endedAt >= now - 5 * DAY && job.endedAt <= now - 20 * HOUR);
      fail(candidates.length ? random.pick(candidates) : recent[last - 1]);
      if (random.chance(0.4) && candidates.length > 1) fail(random.pick(candidates));
      break;
    }
    case 'recovered': {
      // A streak that ended 2–20 days ago; older than a week it no longer shows.
      const endsAt = now - random.between(2, 20) * DAY;
      const index = jobs.findIndex((job) => job.endedAt >= endsAt);
      const streak = random.int(3, 6);
      for (let i = Math.max(0, index - streak); i < index; i++) fail(jobs[i]);
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

function duration(device: DeviceSpec, random: Random): number {
  const typical = device.kind === 'server' ? random.between(8, 75) : device.kind === 'saas' ? random.between(6, 40) : random.between(3, 30);
  // A job ends well before the next one is due.
  return Math.min(typical, device.intervalHours * 60 * 0.6) * MINUTE;
}

function messageFor(device: DeviceSpec, status: PlannedJob['status'], random: Random): string | undefined {
  if (status === 'failed') return random.pick(FAILURE_MESSAGES[device.kind]);
  if (status === 'warning') return random.pick(WARNING_MESSAGES);
  return undefined;
}
