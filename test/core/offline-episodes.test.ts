/**
 * Offline episodes (docs/schedules.md): the sign of life that ends an offline spell records it, so
 * the period report counts it pending as the snapshot did.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { deviceProfile, DAY, HOUR, schedulePosition, summarizeHistory, type HistoryEvent } from '../../core/index.ts';
import { offlineEpisodeEndedAt } from '../../core/offline-episodes.ts';
import { checkin, success } from './builders.ts';
import { local, policy, scheduled, WEEKDAYS_22 } from './schedule-builders.ts';

const ENROLLED = local('2026-11-02 09:00');
const LAPTOP = scheduled(policy(WEEKDAYS_22, { offline: { skipWhenOffline: true, alertAfterDays: 7 } }));
const FRIDAY_RUN = local('2026-11-20 22:30');
const stateOf = (...events: HistoryEvent[]) => summarizeHistory(ENROLLED, events, LAPTOP.schedule);

describe('offline episodes', () => {
  test('a laptop off from Friday night until Tuesday morning (Monday night’s run window closed unseen) ends an episode from its last sign of life to the new one', () => {
    const tuesday = local('2026-11-24 08:10');
    assert.deepEqual(offlineEpisodeEndedAt(LAPTOP, stateOf(success(FRIDAY_RUN)), tuesday), { from: FRIDAY_RUN, to: tuesday });
  });

  test('a sign of life before any run window closed unseen ends no episode (the device was never offline)', () => {
    const saturday = local('2026-11-21 10:00'); // no run is owed at the weekend
    assert.equal(offlineEpisodeEndedAt(LAPTOP, stateOf(success(FRIDAY_RUN)), saturday), null);
    const monday = local('2026-11-23 21:00'); // Monday's run window has not closed yet
    assert.equal(offlineEpisodeEndedAt(LAPTOP, stateOf(success(FRIDAY_RUN), checkin(local('2026-11-23 08:00'))), monday), null);
  });

  test('a device without offline skipping, or on an interval schedule, has no episodes', () => {
    const desk = scheduled(policy(WEEKDAYS_22));
    const later = FRIDAY_RUN + 10 * DAY;
    assert.equal(offlineEpisodeEndedAt(desk, summarizeHistory(ENROLLED, [success(FRIDAY_RUN)], desk.schedule), later), null);
    const interval = deviceProfile('workstation', 24, null);
    assert.equal(offlineEpisodeEndedAt(interval, summarizeHistory(ENROLLED, [success(FRIDAY_RUN)]), later), null);
  });

  test('property: an episode starts where the snapshot placed offlineSince, and the snapshot is offline inside it after the first missed window', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 14 * 24 }), fc.integer({ min: 0, max: 14 * 24 }), (silentHours, probeHours) => {
        const state = stateOf(success(FRIDAY_RUN));
        const at = FRIDAY_RUN + silentHours * HOUR;
        const episode = offlineEpisodeEndedAt(LAPTOP, state, at);
        const probe = FRIDAY_RUN + Math.min(probeHours, silentHours) * HOUR;
        const offlineAtProbe = schedulePosition(LAPTOP, state, probe).offlineSince;
        if (episode === null) {
          assert.equal(schedulePosition(LAPTOP, state, at).offlineSince, null);
          assert.equal(offlineAtProbe, null, 'never offline before `at` either');
        } else {
          assert.equal(episode.from, state.lastSeenAt);
          assert.equal(episode.to, at);
          if (offlineAtProbe !== null) assert.equal(offlineAtProbe, episode.from);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
