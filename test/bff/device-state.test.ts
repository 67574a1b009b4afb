import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { emptyDeviceState, summarizeHistory, type DeviceSchedule, type DeviceState } from '../../core/index.ts';
import { openDatabase } from '../../bff/db/client.ts';
import { decodeDeviceState, encodeDeviceState, LAST_CHECKIN_SQL } from '../../bff/db/device-state.ts';
import { eventsArb, instantArb } from '../core/arbitraries.ts';

const stateArb: fc.Arbitrary<DeviceState> = fc.tuple(instantArb, eventsArb).map(([enrolledAt, events]) => summarizeHistory(enrolledAt, events));
/** States folded with a calendar schedule that skips offline runs and merges per run: every schedule field set. */
const laptopPolicy: DeviceSchedule = {
  schedule: { kind: 'weekly', days: [1, 2, 3, 4, 5], times: ['22:00'] },
  timezone: 'Europe/Berlin',
  offline: { skipWhenOffline: true, alertAfterDays: 7 },
  merge: 'per-run',
  mergeRule: 'worst',
};
const scheduledStateArb: fc.Arbitrary<DeviceState> = fc.tuple(instantArb, eventsArb).map(([enrolledAt, events]) => summarizeHistory(enrolledAt, events, laptopPolicy));

describe('stored device state', () => {
  test('decodes to exactly the state that was encoded', () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        assert.deepEqual(decodeDeviceState(encodeDeviceState(state)), state);
      }),
      { numRuns: 1000 },
    );
  });

  test('a state with schedule history (signs of life, attended run, per-run tally) decodes to exactly what was encoded', () => {
    fc.assert(
      fc.property(scheduledStateArb, (state) => {
        assert.deepEqual(decodeDeviceState(encodeDeviceState(state)), state);
      }),
      { numRuns: 1000 },
    );
  });

  test('a state without schedule history is stored exactly as before the schedule fields existed', () => {
    const state = summarizeHistory(1_000, [{ type: 'job', status: 'success', startedAt: 2_000, endedAt: 3_000 }, { type: 'checkin', at: 4_000 }]);
    assert.equal(JSON.parse(encodeDeviceState(state)).length, 18);
  });

  test('rows written before the schedule fields decode with lastSeenAt from the newest job or check-in', () => {
    const decoded = decodeDeviceState('[1,1000,2000,3000,0,3000,null,0,null,[0,1,0],null,null,null,null,null,null,null,4000]');
    assert.equal(decoded.lastSeenAt, 4_000);
    assert.equal(decoded.attendedSlot, null);
    assert.equal(decoded.run, null);
  });

  test('SQL reads lastCheckinAt from either stored format as the decoder does (ingestion tells a stale check-in by it)', async () => {
    const db = openDatabase({ url: ':memory:' });
    try {
      const states = fc.sample(scheduledStateArb, 200).concat(fc.sample(stateArb, 200));
      const texts = states.flatMap((state) => [encodeDeviceState(state), JSON.stringify(state)]);
      const rows = await db.all<{ at: number | null }>(`SELECT ${LAST_CHECKIN_SQL('value')} AS at FROM json_each(?)`, [JSON.stringify(texts)]);
      assert.deepEqual(rows.map((row) => row.at), texts.map((text) => decodeDeviceState(text).lastCheckinAt));
    } finally {
      await db.close();
    }
  });

  test('is well under half the size of the keyed JSON object', () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        assert.ok(encodeDeviceState(state).length <= JSON.stringify(state).length * 0.5);
      }),
      { numRuns: 300 },
    );
  });

  test('a nested value that is set survives with every field', () => {
    const state: DeviceState = {
      ...emptyDeviceState(1_000),
      lastDrTest: { at: 2_000, result: 'failed' },
      storage: { at: 3_000, usedBytes: 0, quotaBytes: null },
      saasConsent: { at: 4_000, state: 'expired' },
      lastJobStatus: 'warning',
    };
    assert.deepEqual(decodeDeviceState(encodeDeviceState(state)), state);
  });

  test('rows written by earlier versions as keyed objects are still read', () => {
    const state = summarizeHistory(1_000, [{ type: 'job', status: 'failed', startedAt: 2_000, endedAt: 3_000 }]);
    assert.deepEqual(decodeDeviceState(JSON.stringify(state)), state);
  });

  test('an unknown format version is refused rather than misread', () => {
    assert.throws(() => decodeDeviceState('[2,1000]'), /Unknown device state format 2/);
  });
});
