/**
 * The demo fleet and its history, checked without a server: deterministic, the sizes
 * the demo promises, events the API accepts, and every scenario giving the status it
 * is named for under core's own rules.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateHealth, summarizeHistory, type HistoryEvent } from '../../core/index.ts';
import type { HealthStatus } from '../../core/types.ts';
import { eventTime, type IngestEvent } from '../../demo/seed/events.ts';
import { buildFleet, type Scenario } from '../../demo/seed/fleet.ts';
import { deviceHistory } from '../../demo/seed/history.ts';
import { createRandom } from '../../demo/seed/random.ts';
import { batches, MAX_BATCH } from '../../demo/seed/seeder.ts';
import { businessHoursOutsideNow } from '../../demo/tenant-settings.ts';
import { isWithinBusinessHours } from '../../core/oncall.ts';

const NOW = Date.UTC(2026, 10, 24, 15, 30);

const histories = (deviceCount: number) => {
  const fleet = buildFleet({ deviceCount });
  const random = createRandom(7);
  return { fleet, events: fleet.devices.map((device) => deviceHistory(device, NOW, random.fork(device.id))) };
};

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
  for (const policy of ['hourly', 'every-4h', 'daily']) assert.ok(fleet.devices.some((d) => d.policyId === policy), policy);
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
  assert.ok(total > 30_000 && total < 80_000, `${total} events`);
  const sent = [...batches(events, MAX_BATCH)];
  assert.ok(sent.every((batch) => batch.length <= MAX_BATCH));
  assert.equal(sent.reduce((sum, batch) => sum + batch.length, 0), total);
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
    failing: ['critical'],
    silent: ['critical'],
    'dr-failed': ['critical'],
    'consent-expired': ['critical'],
    new: ['unknown'],
  };
  const { fleet, events } = histories(500);
  const counts: Record<string, number> = {};
  fleet.devices.forEach((device, i) => {
    const state = summarizeHistory(NOW - 31 * 86_400_000, events[i]!.map(toCore));
    const health = evaluateHealth({ kind: device.kind, intervalHours: device.intervalHours, quotaBytes: device.quotaBytes }, state, NOW);
    assert.ok(expected[device.scenario].includes(health.status), `${device.name} (${device.scenario}) is ${health.status}: ${health.reasons.join('; ')}`);
    counts[health.status] = (counts[health.status] ?? 0) + 1;
  });
  // A mostly healthy fleet with a visible tail, as an MSP would see it.
  assert.ok(counts.healthy! > fleet.devices.length * 0.75, JSON.stringify(counts));
  assert.ok(counts.critical! >= 15 && counts.warning! >= 30 && counts.unknown! >= 1, JSON.stringify(counts));
});

test('the On-Call business hours chosen exclude the present moment', () => {
  for (let hour = 0; hour < 24 * 7; hour += 5) {
    const now = NOW + hour * 3_600_000;
    assert.equal(isWithinBusinessHours(now, businessHoursOutsideNow(now)), false, new Date(now).toISOString());
  }
});
