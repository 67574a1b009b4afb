/**
 * The demo fleet and its history, checked without a server: deterministic, the sizes
 * the demo promises, events the API accepts, every schedule kind in use, one job per
 * scheduled run (retries only after a failure, 15–60 min later), plausible durations,
 * laptops off at weekends, and every scenario giving the status it is named for under
 * core's own rules with each device's schedule.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateHealth, summarizeHistory, type HistoryEvent } from '../../core/index.ts';
import { schedulePosition } from '../../core/schedule-position.ts';
import type { DeviceSchedule } from '../../core/schedule-spec.ts';
import type { DeviceProfile, HealthStatus } from '../../core/types.ts';
import { localDateTime } from '../../core/zoned-time.ts';
import { eventTime, type IngestEvent } from '../../demo/seed/events.ts';
import { buildFleet, policyOf, type DeviceSpec, type Scenario } from '../../demo/seed/fleet.ts';
import { deviceHistory, slotDevice } from '../../demo/seed/history.ts';
import { createRandom } from '../../demo/seed/random.ts';
import { compiledPolicy, DURATION_MINUTES, slotsBetween } from '../../demo/seed/slots.ts';
import { batches, MAX_BATCH } from '../../demo/seed/seeder.ts';
import { businessHoursOutsideNow } from '../../demo/tenant-settings.ts';
import { isWithinBusinessHours } from '../../core/oncall.ts';

/** A Tuesday afternoon (UTC); the weekend checks use the Saturday and Sunday after it. */
const NOW = Date.UTC(2026, 10, 24, 15, 30);
const SATURDAY = Date.UTC(2026, 10, 28, 15, 30);
const SUNDAY_NIGHT = Date.UTC(2026, 10, 29, 23, 0);
const MINUTE = 60_000;

const histories = (deviceCount: number, now = NOW) => {
  const fleet = buildFleet({ deviceCount });
  const random = createRandom(7);
  return { fleet, events: fleet.devices.map((device) => deviceHistory(device, now, random.fork(device.id))) };
};

/** The device's policy as core reads it (as the BFF builds it from the policy and the client's timezone). */
function scheduleOf(device: DeviceSpec): DeviceSchedule {
  const { schedule, graceHours, offline, merge, mergeRule } = policyOf(device.role);
  return { schedule, timezone: device.timezone, graceHours: graceHours ?? null, offline: offline ?? null, merge, mergeRule };
}
const profileOf = (device: DeviceSpec): DeviceProfile => ({ kind: device.kind, intervalHours: device.intervalHours, quotaBytes: device.quotaBytes, schedule: scheduleOf(device) });

type Job = Extract<IngestEvent, { type: 'job' }>;
const jobsOf = (events: IngestEvent[]) => events.filter((event): event is Job => event.type === 'job').sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));

/** The slot whose run a job belongs to: calendar, the latest slot s with s − grace ≤ start (the merge window); interval, the latest slot ≤ start. */
function slotOf(device: DeviceSpec, startedAt: number): number {
  const compiled = compiledPolicy(slotDevice(device));
  if (compiled.calendar) return compiled.calendar.slotAtOrBefore(startedAt + compiled.graceMs)!;
  return slotsBetween(slotDevice(device), startedAt - compiled.intervalHours! * 3_600_000, startedAt).at(-1)!;
}

function toCore(event: IngestEvent): HistoryEvent {
  switch (event.type) {
    case 'job':
      return { type: 'job', status: event.status, startedAt: Date.parse(event.startedAt), endedAt: event.endedAt ? Date.parse(event.endedAt) : null };
    case 'dr_test':
      return { type: 'dr_test', at: Date.parse(event.at), result: event.result };
    case 'storage':
      return { type: 'storage', at: Date.parse(event.at), usedBytes: event.usedBytes, quotaBytes: event.quotaBytes ?? null };
    case 'saas_consent':
      return { type: 'saas_consent', at: Date.parse(event.at), state: event.state };
    case 'checkin':
      return { type: 'checkin', at: Date.parse(event.at) };
  }
}

test('the same seed gives the same fleet and history', () => {
  assert.deepEqual(histories(500), histories(500));
});

test('the fleet has a dozen clients and about 500 devices of every kind and policy', () => {
  const fleet = buildFleet();
  assert.equal(fleet.clients.length, 12);
  assert.ok(fleet.devices.length >= 480 && fleet.devices.length <= 520, `${fleet.devices.length} devices`);
  for (const kind of ['workstation', 'server', 'saas']) assert.ok(fleet.devices.some((d) => d.kind === kind), kind);
  for (const policy of fleet.policies) assert.ok(fleet.devices.some((d) => d.policyId === policy.id), policy.id);
  assert.equal(new Set(fleet.devices.map((d) => d.id)).size, fleet.devices.length, 'device ids are unique');
  const sizes = fleet.clients.map((c) => fleet.devices.filter((d) => d.clientId === c.id).length);
  assert.ok(Math.max(...sizes) >= 5 * Math.min(...sizes), 'clients differ in size');
  assert.ok(fleet.clients.filter((c) => c.timezone !== null).length >= 2, 'some clients have their own timezone');
});

test('every device history is in time order, in the past, and fits the API limits', () => {
  const { events } = histories(500);
  for (const deviceEvents of events) {
    const times = deviceEvents.map(eventTime);
    assert.deepEqual(times, [...times].sort((a, b) => a - b));
    assert.ok(times.every((t) => t <= NOW), 'no event in the future');
    const jobIds = deviceEvents.filter((e) => e.type === 'job').map((e) => (e as { id: string }).id);
    assert.equal(new Set(jobIds).size, jobIds.length, 'job ids are unique');
  }
  const total = events.reduce((sum, e) => sum + e.length, 0);
  assert.ok(total > 15_000 && total < 60_000, `${total} events`);
  const sent = [...batches(events, MAX_BATCH)];
  assert.ok(sent.every((batch) => batch.length <= MAX_BATCH));
  assert.equal(sent.reduce((sum, batch) => sum + batch.length, 0), total);
});

test('whenever the demo starts, no seeded event is in the future (the API refuses those)', () => {
  // Every 13 h over a week: each hour of the day and every weekday in some timezone.
  for (let now = NOW; now < NOW + 7 * 86_400_000; now += 13 * 3_600_000) {
    const { fleet, events } = histories(200, now);
    events.forEach((deviceEvents, i) => {
      for (const event of deviceEvents) {
        const times = event.type === 'job' ? [Date.parse(event.startedAt), ...(event.endedAt ? [Date.parse(event.endedAt)] : [])] : [eventTime(event)];
        assert.ok(times.every((t) => t <= now), `${fleet.devices[i]!.name} at ${new Date(now).toISOString()}: ${JSON.stringify(event)}`);
      }
    });
  }
});

test('a batch never splits one device’s history', () => {
  const { events } = histories(500);
  const batchOf = new Map<string, number>();
  [...batches(events, MAX_BATCH)].forEach((batch, index) => {
    for (const event of batch) {
      const seen = batchOf.get(event.deviceId);
      assert.ok(seen === undefined || seen === index, `${event.deviceId} is in batches ${seen} and ${index}`);
      batchOf.set(event.deviceId, index);
    }
  });
});

test('each scenario gives the status it is named for under core’s rules', () => {
  const expected: Record<Scenario, HealthStatus[]> = {
    steady: ['healthy'],
    running: ['healthy'],
    'near-quota': ['healthy'],
    'over-quota': ['healthy'],
    'failed-recently': ['warning'],
    recovered: ['healthy', 'warning'],
    overdue: ['warning'],
    away: ['healthy'],
    failing: ['critical'],
    silent: ['critical'],
    'dr-failed': ['critical'],
    'consent-expired': ['critical'],
    new: ['unknown'],
  };
  const { fleet, events } = histories(500);
  const counts: Record<string, number> = {};
  fleet.devices.forEach((device, i) => {
    const state = summarizeHistory(NOW - 31 * 86_400_000, events[i]!.map(toCore), scheduleOf(device));
    const health = evaluateHealth(profileOf(device), state, NOW);
    assert.ok(expected[device.scenario].includes(health.status), `${device.name} (${device.scenario}) is ${health.status}: ${health.reasons.join('; ')}`);
    counts[health.status] = (counts[health.status] ?? 0) + 1;
  });
  // A mostly healthy fleet with a visible tail, as an MSP would see it.
  assert.ok(counts.healthy! > fleet.devices.length * 0.75, JSON.stringify(counts));
  assert.ok(counts.critical! >= 15 && counts.warning! >= 30 && counts.unknown! >= 1, JSON.stringify(counts));
});

test('the fleet uses every schedule kind: Mon–Fri workstations, nightly servers, a Sunday NAS, a last-day archive, cron SaaS, laptops off at weekends', () => {
  const fleet = buildFleet();
  const kindsInUse = new Set(fleet.devices.map((device) => policyOf(device.role).schedule.kind));
  assert.deepEqual([...kindsInUse].sort(), ['cron', 'interval', 'monthly', 'weekly']);
  const policy = (id: string) => fleet.policies.find((p) => p.id === id)!;
  assert.deepEqual(policy('workstations').schedule, { kind: 'weekly', days: [1, 2, 3, 4, 5], times: ['22:00'] });
  assert.deepEqual(policy('nas-weekly').schedule, { kind: 'weekly', days: [7], times: ['03:00'] });
  assert.deepEqual(policy('archive-monthly').schedule, { kind: 'monthly', days: [-1], times: ['23:30'] });
  assert.deepEqual(policy('saas-6h').schedule, { kind: 'cron', expression: '0 */6 * * *' });
  assert.equal(policy('laptops').offline?.skipWhenOffline, true);
  for (const role of ['desktop', 'laptop', 'server', 'critical-server', 'nas', 'archive', 'saas'] as const) assert.ok(fleet.devices.some((d) => d.role === role), role);
  // Even a small demo fleet (the tests' 40 devices) has every kind.
  assert.equal(new Set(buildFleet({ deviceCount: 40 }).devices.map((d) => policyOf(d.role).schedule.kind)).size, 4);
  assert.ok(fleet.devices.every((d) => fleet.clients.find((c) => c.id === d.clientId)!.timezone === d.timezone));
});

test('one job per scheduled run: a second job in a run only retries a failure, 15–60 min after it', () => {
  const { fleet, events } = histories(500);
  let retries = 0;
  fleet.devices.forEach((device, i) => {
    const byRun = new Map<number, Job[]>();
    for (const job of jobsOf(events[i]!)) {
      const slot = slotOf(device, Date.parse(job.startedAt));
      byRun.set(slot, [...(byRun.get(slot) ?? []), job]);
    }
    for (const [slot, jobs] of byRun) {
      assert.ok(jobs.length <= 3, `${device.name}: ${jobs.length} jobs for the run at ${new Date(slot).toISOString()}`);
      for (let k = 1; k < jobs.length; k++) {
        const failure = jobs[k - 1]!;
        assert.equal(failure.status, 'failed', `${device.name} ran twice for ${new Date(slot).toISOString()} after a ${failure.status} job`);
        const gap = (Date.parse(jobs[k]!.startedAt) - Date.parse(failure.endedAt!)) / MINUTE;
        assert.ok(gap >= 15 && gap <= 60, `${device.name}: retried ${gap.toFixed(0)} min after the failure`);
        retries++;
      }
      // Jobs of one device never overlap.
      for (let k = 1; k < jobs.length; k++) assert.ok(Date.parse(jobs[k]!.startedAt) > Date.parse(jobs[k - 1]!.endedAt!));
    }
  });
  assert.ok(retries > 50, `${retries} retries: failures are retried`);
});

test('jobs last what such a backup lasts: workstations 5–30 min, servers 20–90 min, a NAS hours', () => {
  const { fleet, events } = histories(500);
  fleet.devices.forEach((device, i) => {
    const [shortest, longest] = DURATION_MINUTES[device.role];
    const jobs = jobsOf(events[i]!).filter((job) => job.endedAt);
    jobs.forEach((job, k) => {
      const minutes = (Date.parse(job.endedAt!) - Date.parse(job.startedAt)) / MINUTE;
      const retry = k > 0 && jobs[k - 1]!.status === 'failed' && slotOf(device, Date.parse(jobs[k - 1]!.startedAt)) === slotOf(device, Date.parse(job.startedAt));
      // A retry may be cut short by the end of its run's window; the newest job of an interval device may have just finished.
      const low = retry || k === jobs.length - 1 ? 1 : shortest;
      assert.ok(minutes >= low && minutes <= longest + 0.01, `${device.name} (${device.role}) ran ${minutes.toFixed(1)} min`);
    });
  });
  assert.deepEqual(DURATION_MINUTES.server, [20, 90]);
  assert.deepEqual(DURATION_MINUTES.desktop, [5, 30]);
  assert.ok(DURATION_MINUTES.nas[0] >= 60);
});

test('laptops have no runs at weekends and are not late on a weekend: steady ones stay Healthy', () => {
  for (const now of [SATURDAY, SUNDAY_NIGHT]) {
    const { fleet, events } = histories(500, now);
    let laptops = 0;
    fleet.devices.forEach((device, i) => {
      if (device.role !== 'laptop') return;
      for (const job of jobsOf(events[i]!)) {
        assert.ok(localDateTime(Date.parse(job.startedAt), device.timezone).weekday <= 5, `${device.name} ran on a weekend: ${job.startedAt}`);
      }
      if (device.scenario !== 'steady') return;
      const state = summarizeHistory(now - 31 * 86_400_000, events[i]!.map(toCore), scheduleOf(device));
      const position = schedulePosition(profileOf(device), state, now);
      assert.equal(position.late, false, `${device.name} is late on ${new Date(now).toISOString()}`);
      assert.equal(evaluateHealth(profileOf(device), state, now).status, 'healthy', device.name);
      laptops++;
    });
    assert.ok(laptops > 100, `${laptops} steady laptops`);
  }
});

test('the console has Healthy, Warning, Critical, late and offline devices on a weekday and at the weekend', () => {
  for (const now of [NOW, SATURDAY, SUNDAY_NIGHT]) {
    const { fleet, events } = histories(500, now);
    const seen = new Set<string>();
    fleet.devices.forEach((device, i) => {
      const state = summarizeHistory(now - 31 * 86_400_000, events[i]!.map(toCore), scheduleOf(device));
      const position = schedulePosition(profileOf(device), state, now);
      seen.add(evaluateHealth(profileOf(device), state, now, position).status);
      if (position.late) seen.add('late');
      if (position.offlineSince !== null) seen.add('offline');
    });
    for (const state of ['healthy', 'warning', 'critical', 'unknown', 'late', 'offline']) assert.ok(seen.has(state), `${state} on ${new Date(now).toISOString()}`);
  }
});

test('the On-Call business hours chosen exclude the present moment', () => {
  for (let hour = 0; hour < 24 * 7; hour += 5) {
    const now = NOW + hour * 3_600_000;
    assert.equal(isWithinBusinessHours(now, businessHoursOutsideNow(now)), false, new Date(now).toISOString());
  }
});
