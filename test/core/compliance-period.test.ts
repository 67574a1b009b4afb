import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { combinePeriods, successSpans, DAY, emptyDeviceState, evaluateSla, HOUR, periodCompliance, type Interval, type PeriodComplianceInput } from '../../core/index.ts';
import { ENROLLED, NOW } from './builders.ts';

const RUNS = { numRuns: 1_000 };
const SERVER_SLA = { workstationHours: 24, serverHours: 12, saasHours: 36 };

const server = (successes: number[], extra: Partial<PeriodComplianceInput> = {}): PeriodComplianceInput => ({
  enrolledAt: ENROLLED,
  successes,
  maxHours: 12,
  ...extra,
});

describe('compliance over a period', () => {
  test('a success every 12 h or sooner keeps a server meeting its 12 h SLA the whole period', () => {
    const successes = Array.from({ length: 30 }, (_, i) => NOW - 10 * DAY + i * 8 * HOUR);
    const result = periodCompliance(server(successes), NOW - 9 * DAY, NOW);
    assert.equal(result.meetingPct, 100);
    assert.equal(result.breachMs, 0);
    assert.deepEqual(result.breaches, []);
  });

  test('a gap of 20 h after a success is 8 h of breach that the next success ends', () => {
    const at = NOW - 2 * DAY;
    const result = periodCompliance(server([at, at + 20 * HOUR]), at, at + DAY);
    assert.deepEqual(result.breaches, [{ from: at + 12 * HOUR, to: at + 20 * HOUR, hours: 8, maintenanceHours: 0 }]);
    assert.equal(result.meetingMs + result.breachMs, DAY);
    assert.equal(result.meetingPct, 66.7);
  });

  test('a breach still open at the end of the period has no end', () => {
    const at = NOW - 2 * DAY;
    const result = periodCompliance(server([at]), at, NOW);
    assert.equal(result.breaches.length, 1);
    assert.equal(result.breaches[0]!.to, null);
    assert.equal(result.breaches[0]!.hours, 36);
  });

  test('time before the first success, within the window of enrolment, is pending', () => {
    const result = periodCompliance(server([ENROLLED + 10 * HOUR]), ENROLLED, ENROLLED + 11 * HOUR);
    assert.equal(result.pendingMs, 10 * HOUR);
    assert.equal(result.meetingMs, HOUR);
    assert.equal(result.meetingPct, 100);
  });

  test('without any success a device breaches from enrolment plus its window', () => {
    const result = periodCompliance(server([]), ENROLLED, ENROLLED + DAY);
    assert.deepEqual(result.breaches, [{ from: ENROLLED + 12 * HOUR, to: null, hours: 12, maintenanceHours: 0 }]);
    assert.equal(result.meetingPct, 0);
  });

  test('breach time inside a maintenance window is not counted', () => {
    const at = NOW - 2 * DAY;
    const window = { from: at + 14 * HOUR, to: at + 18 * HOUR };
    const result = periodCompliance(server([at, at + 20 * HOUR], { excluded: [window] }), at, at + DAY);
    assert.equal(result.excludedMs, 4 * HOUR);
    assert.equal(result.breaches[0]!.hours, 4);
    assert.equal(result.meetingMs + result.breachMs + result.excludedMs, DAY);
  });

  test("a breach row names the maintenance hours excluded from its span, so span = hours + maintenance", () => {
    const at = NOW - 10 * DAY;
    // Breach from at + 12 h until the success at at + 6 d; a 3-day window inside it.
    const window = { from: at + DAY, to: at + 4 * DAY };
    const result = periodCompliance(server([at, at + 6 * DAY], { excluded: [window] }), at, at + 7 * DAY);
    const [breach] = result.breaches;
    assert.deepEqual(breach, { from: at + 12 * HOUR, to: at + 6 * DAY, hours: 60, maintenanceHours: 72 });
    assert.equal((breach!.to! - breach!.from) / HOUR, breach!.hours + breach!.maintenanceHours);
  });

  test('maintenance outside a breach is excluded time but not on any breach row', () => {
    const at = NOW - 2 * DAY;
    const result = periodCompliance(server([at, at + 20 * HOUR], { excluded: [{ from: at + 2 * HOUR, to: at + 5 * HOUR }] }), at, at + DAY);
    assert.equal(result.excludedMs, 3 * HOUR);
    assert.equal(result.breaches[0]!.maintenanceHours, 0);
  });

  test('time offline counts as pending, not as breach', () => {
    const at = NOW - 2 * DAY;
    const result = periodCompliance(server([at, at + 20 * HOUR], { pending: [{ from: at + 12 * HOUR, to: at + 20 * HOUR }] }), at, at + DAY);
    assert.equal(result.breachMs, 0);
    assert.equal(result.pendingMs, 8 * HOUR);
  });

  test('a calendar schedule moves the start of a breach to when the device is late', () => {
    const at = NOW - 3 * DAY;
    const lateAt = at + 60 * HOUR; // e.g. a Friday-night success and a Monday 22:00 slot + 4 h grace
    const result = periodCompliance(server([at], { breachSince: (reference) => Math.max(reference + 12 * HOUR, lateAt) }), at, at + 3 * DAY);
    assert.deepEqual(result.breaches, [{ from: lateAt, to: null, hours: 12, maintenanceHours: 0 }]);
  });

  test("a client's percentage weighs its devices by counted time", () => {
    const at = NOW - 2 * DAY;
    const healthy = periodCompliance(server([at, at + 10 * HOUR, at + 20 * HOUR]), at, at + DAY);
    const late = periodCompliance(server([at, at + 20 * HOUR]), at, at + DAY);
    const client = combinePeriods([healthy, late]);
    assert.equal(client.devices, 2);
    assert.equal(client.devicesWithBreach, 1);
    assert.equal(client.meetingPct, 83.3);
  });
});

describe('compliance over a period: properties', () => {
  const successesArb = fc.array(fc.integer({ min: ENROLLED, max: NOW }), { maxLength: 40 });
  const intervalArb: fc.Arbitrary<Interval> = fc
    .tuple(fc.integer({ min: ENROLLED, max: NOW }), fc.integer({ min: 1, max: 3 * DAY }))
    .map(([from, length]) => ({ from, to: from + length }));
  const inputArb = fc.record(
    {
      successes: successesArb,
      maxHours: fc.constantFrom(1, 12, 24, 36, 72),
      excluded: fc.array(intervalArb, { maxLength: 4 }),
      pending: fc.array(intervalArb, { maxLength: 3 }),
    },
    { noNullPrototype: true },
  );
  const instant = fc.integer({ min: ENROLLED - DAY, max: NOW });

  test('the percentage is within 0–100 and the parts add up to the period', () => {
    fc.assert(
      fc.property(inputArb, instant, fc.integer({ min: 1, max: 20 * DAY }), (input, from, length) => {
        const result = periodCompliance({ enrolledAt: ENROLLED, ...input }, from, from + length);
        assert.equal(result.meetingMs + result.breachMs + result.pendingMs + result.excludedMs, length);
        if (result.meetingPct !== null) assert.ok(result.meetingPct >= 0 && result.meetingPct <= 100);
      }),
      RUNS,
    );
  });

  test('adjacent periods add up to the period that spans them', () => {
    fc.assert(
      fc.property(inputArb, fc.array(instant, { minLength: 3, maxLength: 3 }), (input, cuts) => {
        const [a, b, c] = [...cuts].sort((x, y) => x - y) as [number, number, number];
        const whole = periodCompliance({ enrolledAt: ENROLLED, ...input }, a, c);
        const first = periodCompliance({ enrolledAt: ENROLLED, ...input }, a, b);
        const second = periodCompliance({ enrolledAt: ENROLLED, ...input }, b, c);
        for (const key of ['meetingMs', 'breachMs', 'pendingMs', 'excludedMs'] as const) assert.equal(whole[key], first[key] + second[key], key);
      }),
      RUNS,
    );
  });

  test('every instant agrees with the snapshot at that instant', () => {
    fc.assert(
      fc.property(successesArb, fc.constantFrom(12, 24, 36), instant, (successes, maxHours, at) => {
        const state = { ...emptyDeviceState(ENROLLED), lastSuccessAt: successes.filter((s) => s <= at).reduce<number | null>((m, s) => (m === null || s > m ? s : m), null) };
        const kind = maxHours === 12 ? 'server' : maxHours === 24 ? 'workstation' : 'saas';
        const snapshot = evaluateSla(kind, state, SERVER_SLA, at);
        const moment = periodCompliance({ enrolledAt: ENROLLED, successes, maxHours }, at, at + 1);
        const state1ms = moment.meetingMs ? 'meeting' : moment.breachMs ? 'breach' : 'pending';
        assert.equal(state1ms, snapshot.state);
        if (snapshot.state === 'breach') assert.equal(moment.breaches[0]!.from, snapshot.breachSince);
      }),
      RUNS,
    );
  });

  test('spans of the history give exactly what every success gives', () => {
    fc.assert(
      fc.property(inputArb, instant, fc.integer({ min: 1, max: 20 * DAY }), (input, from, length) => {
        const bySuccess = periodCompliance({ enrolledAt: ENROLLED, ...input }, from, from + length);
        const spans = successSpans(input.successes, input.maxHours * HOUR);
        const bySpan = periodCompliance({ enrolledAt: ENROLLED, ...input, successes: undefined, spans }, from, from + length);
        assert.deepEqual(bySpan, bySuccess);
      }),
      RUNS,
    );
  });

  test('a maintenance window over the whole period leaves nothing counted', () => {
    fc.assert(
      fc.property(inputArb, instant, fc.integer({ min: 1, max: 10 * DAY }), (input, from, length) => {
        const result = periodCompliance({ enrolledAt: ENROLLED, ...input, excluded: [{ from, to: from + length }] }, from, from + length);
        assert.equal(result.meetingPct, null);
        assert.equal(result.excludedMs, length);
      }),
      RUNS,
    );
  });

  test('successes never further apart than the window give 100 % after the first one', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 12 * HOUR }), { minLength: 1, maxLength: 60 }), (gaps) => {
        const first = ENROLLED + HOUR;
        const successes = gaps.reduce<number[]>((list, gap) => [...list, list[list.length - 1]! + gap], [first]);
        const last = successes[successes.length - 1]!;
        const result = periodCompliance({ enrolledAt: ENROLLED, successes, maxHours: 12 }, first, last + 12 * HOUR);
        assert.equal(result.breachMs, 0);
        assert.equal(result.meetingPct, 100);
      }),
      RUNS,
    );
  });
});
