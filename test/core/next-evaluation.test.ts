/**
 * `nextEvaluationAt`: the sweep looks at a device again only then, so nothing core
 * computes for it may change before that moment.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  ALERT_TYPES,
  DAY,
  DEFAULT_ONCALL_RULES,
  DEFAULT_PSA_RULES,
  DEFAULT_SLA,
  evaluateAlerts,
  evaluateHealth,
  evaluateSla,
  HOUR,
  nextBusinessHoursChange,
  pageDecision,
  schedulePosition,
  summarizeHistory,
  ticketDecision,
  type ActiveAlert,
  type DeviceProfile,
  type DeviceState,
  type Instant,
  type OnCallRules,
  type SlaHours,
} from '../../core/index.ts';
import { BREACH_RECHECK_MS, IDLE_RECHECK_MS, nextEvaluationAt } from '../../core/next-evaluation.ts';
import { deviceArb, eventsArb, nowArb } from './arbitraries.ts';
import { policyArb } from './schedule-arbitraries.ts';
import { device, ENROLLED, history, hoursAgo, NOW, success } from './builders.ts';

const noNull = { noNullPrototype: true } as const;

const slaArb: fc.Arbitrary<SlaHours> = fc.oneof(
  fc.constant(DEFAULT_SLA),
  fc.record({ workstationHours: fc.integer({ min: 1, max: 96 }), serverHours: fc.integer({ min: 1, max: 96 }), saasHours: fc.integer({ min: 1, max: 96 }) }, noNull),
);

const clockArb = fc.constantFrom('00:00', '06:30', '08:00', '12:00', '17:45', '18:00', '23:30', '24:00');
const oncallArb: fc.Arbitrary<OnCallRules> = fc.record(
  {
    enabled: fc.boolean(),
    breachHoursThreshold: fc.constantFrom(0, 0.5, 1, 6, 24),
    deviceKinds: fc.subarray(['workstation', 'server', 'saas'] as const).map((kinds) => [...kinds]),
    businessHours: fc.record(
      {
        timezone: fc.constantFrom('UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata'),
        days: fc.subarray([1, 2, 3, 4, 5, 6, 7]).map((days) => [...days]),
        start: clockArb,
        end: clockArb,
      },
      noNull,
    ),
    escalationPolicy: fc.constant(''),
  },
  noNull,
);

const activeArb: fc.Arbitrary<ActiveAlert[]> = fc
  .subarray([...ALERT_TYPES])
  .chain((types) => fc.tuple(...types.map((type) => fc.record({ type: fc.constant(type), severity: fc.constantFrom('warning', 'critical'), state: fc.constantFrom('open', 'acknowledged') }, noNull))))
  .map((alerts) => alerts as ActiveAlert[]);

const TICKET_CONTEXTS = [
  { alertResolved: false, ticketRequested: false, ticketResolved: false },
  { alertResolved: true, ticketRequested: true, ticketResolved: false },
] as const;

/** Everything core computes for the device at `at` that the sweep acts on (not the wording, which names elapsed times). */
function outcomes(profile: DeviceProfile, state: DeviceState, sla: SlaHours, active: ActiveAlert[], oncall: OnCallRules, failureThreshold: number, at: Instant) {
  const slaState = evaluateSla(profile.kind, state, sla, at, schedulePosition(profile, state, at));
  const psa = { ...DEFAULT_PSA_RULES, enabled: true, failureThreshold };
  return {
    status: evaluateHealth(profile, state, at).status,
    alerts: evaluateAlerts({ device: profile, state, sla, active }, at).map((t) => `${t.action} ${t.type} ${'severity' in t ? t.severity : ''}`),
    sla: slaState,
    tickets: ALERT_TYPES.flatMap((alertType) => TICKET_CONTEXTS.map((context) => ticketDecision({ alertType, ...context, state, now: at }, psa)?.action ?? null)),
    pages: [false, true].map((paged) => pageDecision({ kind: profile.kind, sla: slaState, paged, now: at }, oncall)?.action ?? null),
  };
}

/** Interval profiles as in Part I, and the same devices on calendar schedules (some of them laptops that skip runs while offline). */
const profileArb: fc.Arbitrary<DeviceProfile> = fc.oneof(
  deviceArb,
  fc
    .tuple(deviceArb, policyArb, fc.boolean())
    .map(([device, schedule, laptop]) => ({ ...device, schedule: laptop ? { ...schedule, offline: { skipWhenOffline: true, alertAfterDays: 3 } } : schedule })),
);

describe('next evaluation time', () => {
  test('nothing core computes changes between an evaluation and the next evaluation time', () => {
    fc.assert(
      fc.property(
        profileArb, eventsArb, nowArb, slaArb, activeArb, oncallArb, fc.integer({ min: 1, max: 5 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), { minLength: 1, maxLength: 6 }),
        (profile, events, now, sla, active, oncall, failureThreshold, positions) => {
          const state = summarizeHistory(ENROLLED, events, profile.schedule);
          const next = nextEvaluationAt({ device: profile, state, sla, oncall }, now);
          assert.ok(next > now, 'the next evaluation lies in the future');
          const expected = outcomes(profile, state, sla, active, oncall, failureThreshold, now);
          for (const at of [next - 1, ...positions.map((p) => now + Math.floor(p * (next - now)))]) {
            assert.deepEqual(outcomes(profile, state, sla, active, oncall, failureThreshold, at), expected, `at now + ${at - now} ms (next at now + ${next - now} ms)`);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  test('a healthy 4 h workstation is looked at again the moment it turns overdue', () => {
    const state = history(success(hoursAgo(1)));
    assert.equal(nextEvaluationAt({ device: device(), state, sla: DEFAULT_SLA }, NOW), hoursAgo(1) + 4 * HOUR + 1);
  });

  test('a device with nothing time-driven ahead is looked at again within a day', () => {
    const state = summarizeHistory(ENROLLED, []);
    const next = nextEvaluationAt({ device: device({ intervalHours: 168 }), state, sla: { ...DEFAULT_SLA, workstationHours: 24 * 60 } }, NOW);
    assert.ok(next > NOW && next <= NOW + IDLE_RECHECK_MS);
  });

  test('a device in SLA breach is looked at again within 5 minutes', () => {
    const state = history(success(hoursAgo(13)));
    const next = nextEvaluationAt({ device: device({ kind: 'server', intervalHours: 4 }), state, sla: DEFAULT_SLA }, NOW);
    assert.ok(next > NOW && next <= NOW + BREACH_RECHECK_MS);
  });

  test('a breach is looked at again the moment it passes the page threshold', () => {
    const state = history(success(hoursAgo(12 + 5.99)));
    const oncall = { ...DEFAULT_ONCALL_RULES, enabled: true };
    const next = nextEvaluationAt({ device: device({ kind: 'server', intervalHours: 4 }), state, sla: DEFAULT_SLA, oncall }, NOW);
    assert.equal(next, hoursAgo(12 + 5.99) + 18 * HOUR + 1);
  });

  test('a breach past the threshold is looked at again the moment business hours end (Berlin, 18:00 local)', () => {
    // NOW is Tuesday 12:00 UTC = 13:00 in Berlin; two minutes before 18:00 local the next boundary is in 2 minutes.
    const at = NOW + 4 * HOUR + 58 * 60_000;
    const state = history(success(at - 2 * DAY));
    const oncall = { ...DEFAULT_ONCALL_RULES, enabled: true, businessHours: { ...DEFAULT_ONCALL_RULES.businessHours, timezone: 'Europe/Berlin' } };
    const next = nextEvaluationAt({ device: device({ kind: 'server', intervalHours: 4 }), state, sla: DEFAULT_SLA, oncall }, at);
    assert.equal(next, NOW + 5 * HOUR);
  });

  test('the next business-hours boundary follows the local clock across the spring change (New York, 2026-03-08)', () => {
    const hours = { timezone: 'America/New_York', days: [7], start: '08:00', end: '18:00' };
    const midnight = Date.UTC(2026, 2, 8, 5); // 00:00 EST
    assert.equal(nextBusinessHoursChange(midnight, hours, midnight + 10 * HOUR), Date.UTC(2026, 2, 8, 12)); // 08:00 EDT
    assert.equal(nextBusinessHoursChange(midnight, hours, midnight + HOUR), null, 'nothing within the horizon');
  });
});
