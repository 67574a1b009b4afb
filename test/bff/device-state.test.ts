import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { emptyDeviceState, summarizeHistory, type DeviceState } from '../../core/index.ts';
import { decodeDeviceState, encodeDeviceState } from '../../bff/db/device-state.ts';
import { eventsArb, instantArb } from '../core/arbitraries.ts';

const stateArb: fc.Arbitrary<DeviceState> = fc.tuple(instantArb, eventsArb).map(([enrolledAt, events]) => summarizeHistory(enrolledAt, events));

describe('stored device state', () => {
  test('decodes to exactly the state that was encoded', () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        assert.deepEqual(decodeDeviceState(encodeDeviceState(state)), state);
      }),
      { numRuns: 1000 },
    );
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
