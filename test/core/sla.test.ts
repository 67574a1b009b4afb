import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_SLA, evaluateSla, HOUR, maxHoursFor, slaHoursFor, summarizeCompliance, summarizeHistory, complianceOfCounts } from '../../core/index.ts';
import { history, hoursAgo, NOW, success, failure } from './builders.ts';

describe('SLA rules', () => {
  test('the defaults are 24 h for workstations, 12 h for servers and 36 h for SaaS', () => {
    assert.equal(maxHoursFor(DEFAULT_SLA, 'workstation'), 24);
    assert.equal(maxHoursFor(DEFAULT_SLA, 'server'), 12);
    assert.equal(maxHoursFor(DEFAULT_SLA, 'saas'), 36);
  });

  test("a client's override replaces only the fields it sets", () => {
    assert.deepEqual(slaHoursFor(DEFAULT_SLA, { serverHours: 8 }), { workstationHours: 24, serverHours: 8, saasHours: 36 });
  });

  test('without an override the tenant rules apply', () => {
    assert.deepEqual(slaHoursFor(DEFAULT_SLA, null), DEFAULT_SLA);
    assert.deepEqual(slaHoursFor(DEFAULT_SLA), DEFAULT_SLA);
  });

  test('override fields that are not numbers are ignored', () => {
    const override = { workstationHours: undefined, saasHours: null } as unknown as Parameters<typeof slaHoursFor>[1];
    assert.deepEqual(slaHoursFor(DEFAULT_SLA, override), DEFAULT_SLA);
  });
});

describe('SLA state', () => {
  test('a device with a success within its window is meeting', () => {
    assert.deepEqual(evaluateSla('server', history(success(hoursAgo(12))), DEFAULT_SLA, NOW), { state: 'meeting', maxHours: 12, breachSince: null });
  });

  test('a device past its window is in breach since last success plus the window', () => {
    assert.deepEqual(evaluateSla('server', history(success(hoursAgo(13))), DEFAULT_SLA, NOW), { state: 'breach', maxHours: 12, breachSince: hoursAgo(1) });
  });

  test('the same age meets a workstation SLA and breaches a server SLA', () => {
    const state = history(success(hoursAgo(20)));
    assert.equal(evaluateSla('workstation', state, DEFAULT_SLA, NOW).state, 'meeting');
    assert.equal(evaluateSla('server', state, DEFAULT_SLA, NOW).state, 'breach');
  });

  test('a device enrolled within its window without a success is pending', () => {
    const state = summarizeHistory(hoursAgo(10), [failure(hoursAgo(2))]);
    assert.deepEqual(evaluateSla('server', state, DEFAULT_SLA, NOW), { state: 'pending', maxHours: 12, breachSince: null });
  });

  test('a device enrolled longer than its window without a success is in breach since enrolment plus the window', () => {
    const state = summarizeHistory(hoursAgo(40), []);
    assert.deepEqual(evaluateSla('saas', state, DEFAULT_SLA, NOW), { state: 'breach', maxHours: 36, breachSince: hoursAgo(4) });
  });

  test("a client's override changes the window", () => {
    const hours = slaHoursFor(DEFAULT_SLA, { serverHours: 24 });
    assert.equal(evaluateSla('server', history(success(hoursAgo(20))), hours, NOW).state, 'meeting');
  });

  test('breach begins exactly one window after the last success', () => {
    const state = history(success(hoursAgo(24)));
    assert.equal(evaluateSla('workstation', state, DEFAULT_SLA, NOW).state, 'meeting');
    assert.equal(evaluateSla('workstation', state, DEFAULT_SLA, NOW + 1).breachSince, NOW);
    assert.equal(evaluateSla('workstation', state, DEFAULT_SLA, NOW + HOUR).state, 'breach');
  });
});

describe('compliance summary', () => {
  test('percent is meeting over meeting plus breach, pending not counted', () => {
    const states = [{ state: 'meeting' }, { state: 'meeting' }, { state: 'breach' }, { state: 'pending' }] as const;
    assert.deepEqual(summarizeCompliance(states), { meeting: 2, breach: 1, pending: 1, percent: 66.7 });
  });

  test('percent is null when nothing is counted', () => {
    assert.deepEqual(summarizeCompliance([{ state: 'pending' }]), { meeting: 0, breach: 0, pending: 1, percent: null });
    assert.equal(summarizeCompliance([]).percent, null);
  });

  test('all meeting is 100 %', () => {
    assert.equal(summarizeCompliance([{ state: 'meeting' }]).percent, 100);
  });

  test('counts kept per client summarize exactly like the devices they count', () => {
    const count = fc.nat({ max: 400 });
    fc.assert(
      fc.property(count, count, count, (meeting, breach, pending) => {
        const states = [
          ...Array.from({ length: meeting }, () => ({ state: 'meeting' as const })),
          ...Array.from({ length: breach }, () => ({ state: 'breach' as const })),
          ...Array.from({ length: pending }, () => ({ state: 'pending' as const })),
        ];
        assert.deepEqual(complianceOfCounts({ meeting, breach, pending }), summarizeCompliance(states));
      }),
      { numRuns: 500 },
    );
  });
});
