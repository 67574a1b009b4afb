import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { history, success } from './builders.ts';
import { local, policy, scheduled, WEEKDAYS_22, iso } from './schedule-builders.ts';
import { HOUR, isInMaintenance, schedulePosition, skipMaintenanceSlots, type MaintenanceWindow } from '../../core/index.ts';
import { alertConditions } from '../../core/alerts.ts';

const device = scheduled(policy(WEEKDAYS_22));
const subject = { deviceId: 'ws-1', clientId: 'acme', policyId: 'nightly' };
/** Tuesday night's run (2026-11-24 22:00 Berlin) falls inside the window. */
const tuesdayNight: MaintenanceWindow = {
  id: 'move', name: 'Server move', scope: { clientId: 'acme' }, start: local('2026-11-24 21:00'), end: local('2026-11-25 01:00'),
};
const covered = (windows: MaintenanceWindow[]) => (at: number) => isInMaintenance(subject, windows, at);

describe('scheduled runs during maintenance', () => {
  const state = history(success(local('2026-11-23 22:10')));
  const now = local('2026-11-25 03:00');

  test('a slot inside a window is not missed: the next slot outside it is the one owed', () => {
    const plain = schedulePosition(device, state, now);
    assert.equal(plain.late, true, 'without the window, Tuesday’s run is missed');
    const skipped = skipMaintenanceSlots(plain, covered([tuesdayNight]), now);
    assert.equal(iso(skipped.nextDue), iso(local('2026-11-25 22:00')));
    assert.equal(skipped.late, false);
    const conditions = alertConditions({ device, state, sla: { workstationHours: 72, serverHours: 26, saasHours: 24 }, active: [], position: skipped }, now);
    assert.deepEqual(conditions.map((c) => c.type), []);
  });

  test('the slot after the window is owed as usual', () => {
    const later = local('2026-11-26 03:00');
    const skipped = skipMaintenanceSlots(schedulePosition(device, state, later), covered([tuesdayNight]), later);
    assert.equal(skipped.late, true);
    assert.equal(iso(skipped.nextDue), iso(local('2026-11-25 22:00')));
  });

  test('interval schedules have no slots and keep their position', () => {
    const interval = { kind: 'server' as const, intervalHours: 24, quotaBytes: null };
    const position = schedulePosition(interval, state, now);
    assert.equal(skipMaintenanceSlots(position, () => true, now), position);
  });

  test('property: the owed slot is never earlier and never inside a window', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 14 * 24 }), fc.integer({ min: 1, max: 72 }), fc.integer({ min: 0, max: 21 * 24 }), (startHour, hours, nowHour) => {
        const start = local('2026-11-23 00:00') + startHour * HOUR;
        const window: MaintenanceWindow = { id: 'w', name: 'w', scope: { clientId: 'acme' }, start, end: start + hours * HOUR };
        const at = local('2026-11-23 23:00') + nowHour * HOUR;
        const plain = schedulePosition(device, state, at);
        const skipped = skipMaintenanceSlots(plain, covered([window]), at);
        assert.ok(skipped.nextDue >= plain.nextDue);
        assert.equal(isInMaintenance(subject, [window], skipped.nextDue), false);
        assert.equal(skipped.late, at >= skipped.lateAt);
      }),
      { numRuns: 200 },
    );
  });
});
