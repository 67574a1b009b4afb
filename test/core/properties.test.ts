import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  applyCheckin,
  applyConsent,
  applyDrTest,
  applyJob,
  applyStorage,
  emptyDeviceState,
  evaluateAlerts,
  evaluateHealth,
  eventTime,
  explainScore,
  HEALTH_STATUSES,
  HOUR,
  noteJobSeen,
  STATUS_BANDS,
  summarizeHistory,
  type ActiveAlert,
  type DeviceState,
  type HistoryEvent,
} from '../../core/index.ts';
import { alertInput, ENROLLED } from './builders.ts';
import { deviceArb, eventsArb, instantArb, knownEventsArb, nowArb } from './arbitraries.ts';

const RUNS = { numRuns: 1000 };

describe('health properties', () => {
  test('the score band always agrees with the status', () => {
    fc.assert(
      fc.property(deviceArb, eventsArb, nowArb, (device, events, now) => {
        const { status, score } = evaluateHealth(device, summarizeHistory(ENROLLED, events), now);
        assert.ok(Number.isInteger(score));
        const bands = HEALTH_STATUSES.filter((candidate) => score >= STATUS_BANDS[candidate][0] && score <= STATUS_BANDS[candidate][1]);
        assert.deepEqual(bands, [status]);
      }),
      RUNS,
    );
  });

  test('the score explanation reproduces the score from the breakdown and the band', () => {
    fc.assert(
      fc.property(deviceArb, eventsArb, nowArb, (device, events, now) => {
        const health = evaluateHealth(device, summarizeHistory(ENROLLED, events), now);
        const explained = explainScore(health.status, health.components);
        assert.equal(explained.score, health.score);
        assert.deepEqual(explained.band, STATUS_BANDS[health.status]);
        assert.ok(explained.points >= 0 && explained.points <= 100);
        const [low, high] = explained.band;
        assert.ok(Math.abs(explained.score - (low + (explained.points / 100) * (high - low))) <= 0.5 + (high - low) * 0.0005);
      }),
      RUNS,
    );
  });

  test('a device is unknown exactly when its score is 0', () => {
    fc.assert(
      fc.property(deviceArb, eventsArb, nowArb, (device, events, now) => {
        const { status, score } = evaluateHealth(device, summarizeHistory(ENROLLED, events), now);
        assert.equal(status === 'unknown', score === 0);
      }),
      RUNS,
    );
  });

  test('a new newest successful job never lowers the score', () => {
    fc.assert(
      fc.property(deviceArb, eventsArb, nowArb, fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom('success', 'warning'), (device, events, now, position, status) => {
        const before = summarizeHistory(ENROLLED, events);
        const earliest = before.lastCompletedAt ?? ENROLLED;
        const endedAt = Math.round(earliest + position * (now - earliest));
        const after = applyJob(before, { status, startedAt: endedAt - HOUR, endedAt });
        assert.ok(evaluateHealth(device, after, now).score >= evaluateHealth(device, before, now).score);
      }),
      RUNS,
    );
  });

  test('a failed newest DR test always makes a known device critical', () => {
    fc.assert(
      fc.property(deviceArb, knownEventsArb, nowArb, (device, events, now) => {
        const newestTest = Math.max(ENROLLED, ...events.map((event) => (event.type === 'dr_test' ? event.at : ENROLLED)));
        const state = applyDrTest(summarizeHistory(ENROLLED, events), { at: newestTest, result: 'failed' });
        assert.equal(evaluateHealth(device, state, now).status, 'critical');
      }),
      RUNS,
    );
  });

  test('more storage used never raises the score', () => {
    fc.assert(
      fc.property(deviceArb, eventsArb, nowArb, instantArb, fc.integer({ min: 0, max: 2_000_000 }), fc.integer({ min: 0, max: 2_000_000 }), fc.option(fc.integer({ min: 1, max: 1_000_000 }), { nil: null }), (device, events, now, at, usedA, usedB, quotaBytes) => {
        const base = summarizeHistory(ENROLLED, events);
        const [less, more] = usedA <= usedB ? [usedA, usedB] : [usedB, usedA];
        const withLess = applyStorage(base, { at: Math.max(at, base.storage?.at ?? at), usedBytes: less, quotaBytes });
        const withMore = { ...withLess, storage: { ...withLess.storage!, usedBytes: more } };
        assert.ok(evaluateHealth(device, withMore, now).score <= evaluateHealth(device, withLess, now).score);
      }),
      RUNS,
    );
  });

  test('the same input and now give the same health and transitions', () => {
    fc.assert(
      fc.property(deviceArb, eventsArb, nowArb, (device, events, now) => {
        const state = summarizeHistory(ENROLLED, events);
        const copy = structuredClone(state);
        assert.deepEqual(evaluateHealth(device, state, now), evaluateHealth(device, copy, now));
        assert.deepEqual(evaluateAlerts(alertInput(device, state), now), evaluateAlerts(alertInput(device, copy), now));
        assert.deepEqual(state, copy);
      }),
      RUNS,
    );
  });
});

describe('alert properties', () => {
  test('once the transitions are applied, evaluating again changes nothing', () => {
    fc.assert(
      fc.property(deviceArb, eventsArb, nowArb, (device, events, now) => {
        const state = summarizeHistory(ENROLLED, events);
        const active: ActiveAlert[] = evaluateAlerts(alertInput(device, state), now).flatMap((t) =>
          t.action === 'open' ? [{ type: t.type, severity: t.severity, state: 'open' as const }] : [],
        );
        assert.deepEqual(evaluateAlerts(alertInput(device, state, active), now), []);
        assert.equal(new Set(active.map((alert) => alert.type)).size, active.length);
      }),
      RUNS,
    );
  });
});

describe('history properties', () => {
  /** Folds events in time order with the individual fold functions. */
  function foldInTimeOrder(events: readonly HistoryEvent[]): DeviceState {
    let state = emptyDeviceState(ENROLLED);
    for (const event of [...events].sort((a, b) => eventTime(a) - eventTime(b))) {
      if (event.type === 'job') {
        state = event.endedAt === null || event.status === 'running'
          ? noteJobSeen(state, event.startedAt)
          : applyJob(state, { status: event.status, startedAt: event.startedAt, endedAt: event.endedAt });
      } else if (event.type === 'dr_test') state = applyDrTest(state, event);
      else if (event.type === 'storage') state = applyStorage(state, event);
      else if (event.type === 'saas_consent') state = applyConsent(state, event);
      else state = applyCheckin(state, event.at);
    }
    return state;
  }

  test('summarizeHistory of any order equals folding in time order', () => {
    const uniqueTimes = eventsArb.filter((events) => new Set(events.map(eventTime)).size === events.length);
    fc.assert(
      fc.property(uniqueTimes, fc.array(fc.nat()), (events, keys) => {
        const shuffled = events.map((event, index) => ({ event, key: keys[index] ?? index })).sort((a, b) => a.key - b.key).map((entry) => entry.event);
        assert.deepEqual(summarizeHistory(ENROLLED, shuffled), foldInTimeOrder(events));
      }),
      RUNS,
    );
  });

  test('the daily buckets never hold more than 8 days, ascending', () => {
    fc.assert(
      fc.property(eventsArb, (events) => {
        const days = summarizeHistory(ENROLLED, events).daily.map((bucket) => bucket.day);
        assert.deepEqual(days, [...days].sort((a, b) => a - b));
        if (days.length > 0) assert.ok(days.at(-1)! - days[0]! <= 7);
      }),
      RUNS,
    );
  });
});
