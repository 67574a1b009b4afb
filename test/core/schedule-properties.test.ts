/**
 * The rules of calendar schedules as properties over random schedules, timezones
 * (three with DST, and UTC), graces, device kinds and histories through the year.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  alertConditions,
  compileSchedule,
  DAY,
  DEFAULT_SLA,
  evaluateHealth,
  evaluateSla,
  HOUR,
  schedulePosition,
  scheduleBoundariesAfter,
  summarizeHistory,
  type DeviceKind,
  type DeviceProfile,
  type DeviceSchedule,
  type HistoryEvent,
  type Instant,
  type Schedule,
} from '../../core/index.ts';
import { localDateTime } from '../../core/zoned-time.ts';
import { alertInput, ENROLLED as PART_ONE_ENROLLED } from './builders.ts';
import { deviceArb, eventsArb, nowArb } from './arbitraries.ts';
import { clockArb, policyArb, timezoneArb } from './schedule-arbitraries.ts';

const RUNS = { numRuns: 1000 };
const noNull = { noNullPrototype: true } as const;

const kindArb = fc.constantFrom<DeviceKind>('workstation', 'server', 'saas');
/** Enrolment anywhere in 2026, so DST changes fall inside many histories. */
const enrolledArb = fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 11, 1) });

const profile = (schedule: DeviceSchedule, kind: DeviceKind): DeviceProfile => ({ kind, intervalHours: 24, quotaBytes: null, schedule });
const graceOf = (schedule: DeviceSchedule) => compileSchedule(schedule).graceMs;

/** A success at every slot in (from, until], each `offset` × grace around its slot (never after `until`). */
function successAtEverySlot(schedule: DeviceSchedule, from: Instant, until: Instant, offset: number): HistoryEvent[] {
  const grace = graceOf(schedule);
  return compileSchedule(schedule).calendar!.slotsBetween(from, until + grace)
    .map((slot) => Math.round(slot + offset * grace))
    .filter((endedAt) => endedAt > from && endedAt <= until)
    .map((endedAt): HistoryEvent => ({ type: 'job', status: 'success', startedAt: endedAt - 20 * 60_000, endedAt }));
}

function evaluate(device: DeviceProfile, events: HistoryEvent[], enrolledAt: Instant, now: Instant) {
  const state = summarizeHistory(enrolledAt, events, device.schedule);
  const position = schedulePosition(device, state, now);
  return {
    state,
    position,
    health: evaluateHealth(device, state, now, position),
    sla: evaluateSla(device.kind, state, DEFAULT_SLA, now, position),
    alerts: alertConditions({ device, state, sla: DEFAULT_SLA, active: [], position }, now),
  };
}

describe('calendar schedule properties', () => {
  test('a device that succeeds at every slot is always Healthy and meeting SLA', () => {
    fc.assert(
      fc.property(policyArb, kindArb, enrolledArb, fc.integer({ min: HOUR, max: 30 * DAY }), fc.double({ min: -0.5, max: 0.49, noNaN: true }), (schedule, kind, enrolledAt, span, offset) => {
        const now = enrolledAt + span;
        const events = successAtEverySlot(schedule, enrolledAt + graceOf(schedule), now, offset);
        fc.pre(events.length > 0);
        const { health, sla, alerts } = evaluate(profile(schedule, kind), events, enrolledAt, now);
        assert.equal(health.status, 'healthy', health.reasons[0]);
        assert.equal(sla.state, 'meeting');
        assert.deepEqual(alerts, []);
      }),
      RUNS,
    );
  });

  test('missing exactly one due slot gives Warning and backup_missed_schedule at slot + grace, never earlier', () => {
    fc.assert(
      fc.property(policyArb, kindArb, enrolledArb, fc.integer({ min: DAY, max: 20 * DAY }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.double({ min: -0.5, max: 0.49, noNaN: true }), (schedule, kind, enrolledAt, history, fraction, offset) => {
        const cutoff = enrolledAt + history;
        const events = successAtEverySlot(schedule, enrolledAt + graceOf(schedule), cutoff, offset);
        fc.pre(events.length > 0);
        const grace = graceOf(schedule);
        const calendar = compileSchedule(schedule).calendar!;
        const lastSuccess = Math.max(...events.map((event) => (event.type === 'job' ? event.endedAt! : 0)));
        // The spec's definition, independently: the earliest slot s with s − grace > lastSuccess (slots are at most ~2 months apart here).
        const missed = calendar.slotsBetween(lastSuccess, lastSuccess + 70 * DAY).find((slot) => slot - grace > lastSuccess)!;
        const following = calendar.slotAfter(missed)!;
        // Any time from the cut-off until the following slot is late too: exactly one due slot is missing.
        const now = cutoff + Math.floor(fraction * (following + grace - cutoff));
        const { health, alerts } = evaluate(profile(schedule, kind), events, enrolledAt, now);
        const alert = alerts.find((a) => a.type === 'backup_missed_schedule');
        if (now < missed + grace) {
          assert.equal(alert, undefined);
          assert.equal(health.status, 'healthy');
        } else {
          assert.equal(alert?.since, missed + grace);
          assert.equal(health.status, now - missed > 48 * HOUR ? 'critical' : 'warning');
        }
      }),
      RUNS,
    );
  });

  const laptopArb = policyArb.map((schedule): DeviceSchedule => ({ ...schedule, offline: { skipWhenOffline: true, alertAfterDays: 7 } }));

  test('a skipped (offline) slot never makes a device late', () => {
    fc.assert(
      fc.property(laptopArb, enrolledArb, fc.integer({ min: DAY, max: 20 * DAY }), fc.integer({ min: 0, max: 20 * DAY }), fc.array(fc.integer({ min: 0, max: 20 * DAY }), { maxLength: 6 }), fc.double({ min: -0.5, max: 0.49, noNaN: true }), (schedule, enrolledAt, history, after, checkins, offset) => {
        const cutoff = enrolledAt + history;
        const now = cutoff + after;
        const successes = successAtEverySlot(schedule, enrolledAt + graceOf(schedule), cutoff, offset);
        fc.pre(successes.length > 0);
        const signs = checkins.map((delay) => cutoff + delay).filter((at) => at <= now);
        const events = [...successes, ...signs.map((at): HistoryEvent => ({ type: 'checkin', at }))];
        const device = profile(schedule, 'workstation');
        const silent = evaluate(device, successes, enrolledAt, now);
        assert.equal(silent.position.late, false, 'a laptop never heard from after its last success is never late');
        assert.ok(silent.sla.state !== 'breach');

        const { position, state } = evaluate(device, events, enrolledAt, now);
        if (!position.late) return;
        const grace = graceOf(schedule);
        assert.ok(signs.some((at) => at >= position.nextDue - grace && at <= position.nextDue + grace), 'the missed run was one the laptop was on for');
        const skipped = compileSchedule(schedule).calendar!.slotsBetween(state.lastSuccessAt! + grace, position.nextDue - 1);
        for (const slot of skipped) assert.ok(!signs.some((at) => at >= slot - grace && at <= slot + grace), 'every run before it was silent');
      }),
      RUNS,
    );
  });

  test('a daily time falls on its local wall time, on the spring change when skipped, and at its first occurrence when repeated', () => {
    fc.assert(
      fc.property(fc.constantFrom('Europe/Berlin', 'America/New_York', 'Australia/Sydney'), clockArb, fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) }), (timezone, time, from) => {
        const calendar = compileSchedule({ schedule: { kind: 'weekly', days: [1, 2, 3, 4, 5, 6, 7], times: [time] }, timezone }).calendar!;
        const slot = calendar.slotAfter(from)!;
        const minutes = (at: Instant) => { const l = localDateTime(at, timezone); return l.hour * 60 + l.minute; };
        const wanted = Number(time.slice(0, 2)) * 60 + Number(time.slice(3));
        if (minutes(slot) !== wanted) {
          // Skipped by a spring change: the wall clock jumps over the time exactly at the slot.
          assert.ok(minutes(slot - 60_000) < wanted && minutes(slot) > wanted, `${timezone} ${time} ${new Date(slot).toISOString()}`);
        }
        assert.notEqual(minutes(slot - HOUR), wanted, 'a repeated time is taken at its first occurrence');
        assert.ok(calendar.slotAfter(slot)! - slot >= 22 * HOUR, 'one slot per day');
      }),
      RUNS,
    );
  });

  test("nothing in a device's schedule position changes before its next schedule boundary", () => {
    fc.assert(
      fc.property(laptopArb, kindArb, enrolledArb, fc.integer({ min: DAY, max: 20 * DAY }), fc.integer({ min: 0, max: 10 * DAY }), fc.double({ min: 0, max: 1, noNaN: true }), (schedule, kind, enrolledAt, history, after, fraction) => {
        const cutoff = enrolledAt + history;
        const now = cutoff + after;
        const events = successAtEverySlot(schedule, enrolledAt + graceOf(schedule), cutoff, 0);
        const device = profile(schedule, kind);
        const state = summarizeHistory(enrolledAt, events, schedule);
        const position = schedulePosition(device, state, now);
        const boundary = scheduleBoundariesAfter(position, now)[0] ?? now + 30 * DAY;
        const later = now + Math.floor(fraction * (boundary - now - 1));
        const then = schedulePosition(device, state, later);
        const flags = (p: typeof position, at: Instant) => [p.nextDue, p.late, p.overdue, p.criticallyOverdue, p.offlineAlertAt !== null && at >= p.offlineAlertAt];
        assert.deepEqual(flags(then, later), flags(position, now));
      }),
      RUNS,
    );
  });
});

describe('interval schedules keep Part I', () => {
  test('an explicit interval schedule gives exactly the results of intervalHours alone', () => {
    fc.assert(
      fc.property(deviceArb, eventsArb, nowArb, (device, events, now) => {
        const withSchedule: DeviceProfile = { ...device, schedule: { schedule: { kind: 'interval', hours: device.intervalHours }, timezone: 'Europe/Berlin' } };
        const state = summarizeHistory(PART_ONE_ENROLLED, events);
        assert.deepEqual(summarizeHistory(PART_ONE_ENROLLED, events, withSchedule.schedule), state);
        const position = schedulePosition(withSchedule, state, now);
        assert.deepEqual(evaluateHealth(withSchedule, state, now, position), evaluateHealth(device, state, now));
        assert.deepEqual(alertConditions({ ...alertInput(withSchedule, state), position }, now), alertConditions(alertInput(device, state), now));
        assert.deepEqual(evaluateSla(device.kind, state, DEFAULT_SLA, now, position), evaluateSla(device.kind, state, DEFAULT_SLA, now));
      }),
      RUNS,
    );
  });
});
