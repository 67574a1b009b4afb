/**
 * fast-check arbitraries for device profiles and histories around NOW.
 */
import fc from 'fast-check';
import { DAY, HOUR, type DeviceProfile, type HistoryEvent } from '../../core/index.ts';
import { NOW } from './builders.ts';

const noNull = { noNullPrototype: true } as const;

/** An instant in the 20 days before NOW. */
export const instantArb = fc.integer({ min: NOW - 20 * DAY, max: NOW });

/** An evaluation time from NOW to 10 days after it, mostly within a few hours. */
export const nowArb = fc.oneof(
  { arbitrary: fc.integer({ min: NOW, max: NOW + 6 * HOUR }), weight: 3 },
  { arbitrary: fc.integer({ min: NOW, max: NOW + 10 * DAY }), weight: 1 },
);

export const deviceArb: fc.Arbitrary<DeviceProfile> = fc.record(
  {
    kind: fc.constantFrom('workstation', 'server', 'saas'),
    intervalHours: fc.oneof(fc.constantFrom(1, 4, 12, 24, 168), fc.integer({ min: 1, max: 72 })),
    quotaBytes: fc.option(fc.integer({ min: 1, max: 1_000_000 }), { nil: null }),
  },
  noNull,
);

const jobArb: fc.Arbitrary<HistoryEvent> = fc
  .record({ status: fc.constantFrom('success', 'warning', 'failed', 'running'), at: instantArb, durationMs: fc.integer({ min: 0, max: 3 * HOUR }) }, noNull)
  .map(({ status, at, durationMs }) => ({ type: 'job', status, startedAt: at - durationMs, endedAt: status === 'running' ? null : at }));

const otherEventArb: fc.Arbitrary<HistoryEvent> = fc.oneof(
  fc.record({ type: fc.constant('dr_test'), at: instantArb, result: fc.constantFrom('passed', 'passed', 'passed', 'failed') }, noNull),
  fc.record({ type: fc.constant('storage'), at: instantArb, usedBytes: fc.integer({ min: 0, max: 1_200_000 }), quotaBytes: fc.option(fc.integer({ min: 1, max: 1_000_000 }), { nil: null }) }, noNull),
  fc.record({ type: fc.constant('saas_consent'), at: instantArb, state: fc.constantFrom('ok', 'expired') }, noNull),
  fc.record({ type: fc.constant('checkin'), at: instantArb }, noNull),
);

const scatteredArb = fc.array(fc.oneof({ arbitrary: jobArb, weight: 3 }, { arbitrary: otherEventArb, weight: 1 }), { maxLength: 40, size: 'max' });

/** Jobs on a regular schedule up to near NOW, each with a random status, plus a few other events. */
const scheduledArb: fc.Arbitrary<HistoryEvent[]> = fc
  .record(
    {
      everyHours: fc.integer({ min: 1, max: 24 }),
      newestAgoMinutes: fc.integer({ min: 0, max: 100 * 60 }),
      statuses: fc.array(fc.constantFrom('success', 'success', 'success', 'warning', 'failed'), { maxLength: 60, size: 'max' }),
      others: fc.array(otherEventArb, { maxLength: 5 }),
    },
    noNull,
  )
  .map(({ everyHours, newestAgoMinutes, statuses, others }) => [
    ...statuses.map((status, index): HistoryEvent => {
      const endedAt = NOW - newestAgoMinutes * 60_000 - index * everyHours * HOUR;
      return { type: 'job', status, startedAt: endedAt - 20 * 60_000, endedAt };
    }),
    ...others,
  ]);

/** A history: scattered events over 20 days, or a regular job schedule. */
export const eventsArb: fc.Arbitrary<HistoryEvent[]> = fc.oneof(scatteredArb, scheduledArb);

/** A history with at least one completed job. */
export const knownEventsArb: fc.Arbitrary<HistoryEvent[]> = fc
  .tuple(eventsArb, fc.constantFrom('success', 'warning', 'failed'), instantArb)
  .map(([events, status, at]) => [...events, { type: 'job', status, startedAt: at - HOUR, endedAt: at } as HistoryEvent]);
