import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  alertConditions,
  DEFAULT_SLA,
  evaluateHealth,
  evaluateAlerts,
  evaluateSla,
  HOUR,
  scheduleBoundariesAfter,
  schedulePosition,
  summarizeHistory,
  type DeviceProfile,
  type DeviceState,
  type HistoryEvent,
  type Instant,
} from '../../core/index.ts';
import { checkin, failure, success } from './builders.ts';
import { iso, local, policy, scheduled, WEEKDAYS_22 } from './schedule-builders.ts';

const ENROLLED = local('2026-11-02 09:00');
const WORKSTATION = scheduled(policy(WEEKDAYS_22));
/** Friday night's run, done at 22:30 Berlin. */
const FRIDAY_RUN = local('2026-11-20 22:30');

function evaluate(device: DeviceProfile, state: DeviceState, now: Instant) {
  const position = schedulePosition(device, state, now);
  return {
    position,
    health: evaluateHealth(device, state, now, position),
    sla: evaluateSla(device.kind, state, DEFAULT_SLA, now, position),
    alerts: alertConditions({ device, state, sla: DEFAULT_SLA, active: [], position }, now),
  };
}
const stateOf = (device: DeviceProfile, ...events: HistoryEvent[]) => summarizeHistory(ENROLLED, events, device.schedule);
const types = (result: ReturnType<typeof evaluate>) => result.alerts.map((alert) => alert.type);

describe('the walkthrough: a Mon–Fri 22:00 workstation last backed up Friday night', () => {
  const state = stateOf(WORKSTATION, success(FRIDAY_RUN));

  for (const [day, at] of [['Saturday', '2026-11-21 12:00'], ['Sunday', '2026-11-22 23:59'], ['Monday evening before the run', '2026-11-23 21:00']] as const) {
    test(`is Healthy, meeting SLA and without alerts on ${day}`, () => {
      const result = evaluate(WORKSTATION, state, local(at));
      assert.equal(result.health.status, 'healthy');
      assert.equal(result.sla.state, 'meeting');
      assert.deepEqual(result.alerts, []);
      assert.equal(result.health.components.recency.value, 1);
    });
  }

  test('is still on schedule at Tuesday 01:59, within the grace of Monday 22:00', () => {
    const result = evaluate(WORKSTATION, state, local('2026-11-24 01:59'));
    assert.equal(result.health.status, 'healthy');
    assert.deepEqual(result.alerts, []);
  });

  test("is missed on Tuesday 02:00 when Monday's run did not happen (grace 4 h)", () => {
    const result = evaluate(WORKSTATION, state, local('2026-11-24 02:00'));
    assert.equal(result.health.status, 'warning');
    const missed = result.alerts.find((alert) => alert.type === 'backup_missed_schedule');
    assert.equal(iso(missed!.since), iso(local('2026-11-24 02:00')));
    assert.match(missed!.reason, /run due 2026-11-23 21:00 UTC missed; Mon–Fri at 22:00 Europe\/Berlin, 4 h grace/);
  });

  test("a healthy reason names the next run's due time and the schedule in words", () => {
    assert.equal(evaluate(WORKSTATION, state, local('2026-11-22 12:00')).health.reasons[0],
      'Last backup succeeded 37 h ago, next run due 2026-11-23 21:00 UTC (Mon–Fri at 22:00 Europe/Berlin, 4 h grace)');
  });

  test("Monday's run done on time keeps it healthy on Tuesday", () => {
    const next = stateOf(WORKSTATION, success(FRIDAY_RUN), success(local('2026-11-23 22:40')));
    assert.equal(evaluate(WORKSTATION, next, local('2026-11-24 12:00')).health.status, 'healthy');
  });
});

describe('late: now ≥ nextDue + grace', () => {
  const state = stateOf(WORKSTATION, success(FRIDAY_RUN));

  test('nextDue is the earliest slot whose grace window starts after the last success', () => {
    assert.equal(iso(evaluate(WORKSTATION, state, local('2026-11-22 12:00')).position.nextDue), iso(local('2026-11-23 22:00')));
  });

  test('a run finished within the grace before its slot satisfies that slot', () => {
    const early = stateOf(WORKSTATION, success(local('2026-11-23 18:30')));
    assert.equal(iso(evaluate(WORKSTATION, early, local('2026-11-24 03:00')).position.nextDue), iso(local('2026-11-24 22:00')));
  });

  test('without a success, nextDue counts from the first job, else from enrolment', () => {
    const never = summarizeHistory(ENROLLED, [], WORKSTATION.schedule);
    assert.equal(iso(schedulePosition(WORKSTATION, never, ENROLLED).nextDue), iso(local('2026-11-02 22:00')));
    const failedFirst = stateOf(WORKSTATION, failure(local('2026-11-03 23:00')));
    assert.equal(iso(schedulePosition(WORKSTATION, failedFirst, ENROLLED).nextDue), iso(local('2026-11-04 22:00')));
  });

  test('the grace of the policy replaces the default 4 h', () => {
    const device = scheduled(policy(WEEKDAYS_22, { graceHours: 1 }));
    const result = evaluate(device, stateOf(device, success(FRIDAY_RUN)), local('2026-11-23 23:00'));
    assert.ok(result.position.late);
    assert.equal(iso(result.alerts.find((alert) => alert.type === 'backup_missed_schedule')!.since), iso(local('2026-11-23 23:00')));
  });

  test('Critical only when more than 48 h past nextDue', () => {
    assert.equal(evaluate(WORKSTATION, state, local('2026-11-25 22:00')).health.status, 'warning');
    assert.equal(evaluate(WORKSTATION, state, local('2026-11-25 22:00') + 1).health.status, 'critical');
  });

  test('recency is 1 while not late and falls linearly to 0 at nextDue + 48 h', () => {
    const due = local('2026-11-23 22:00');
    const recency = (at: Instant) => evaluate(WORKSTATION, state, at).health.components.recency.value;
    assert.equal(recency(due + 4 * HOUR), 1);
    assert.equal(recency(due + 26 * HOUR), 0.5);
    assert.equal(recency(due + 48 * HOUR), 0);
  });
});

describe('the hour rules apply only while late', () => {
  test('backup_overdue opens when late, not at lastSuccess + 24 h', () => {
    const state = stateOf(WORKSTATION, success(FRIDAY_RUN));
    assert.ok(!types(evaluate(WORKSTATION, state, local('2026-11-23 12:00'))).includes('backup_overdue'));
    const late = evaluate(WORKSTATION, state, local('2026-11-24 02:00'));
    assert.equal(iso(late.alerts.find((alert) => alert.type === 'backup_overdue')!.since), iso(local('2026-11-24 02:00')));
  });

  test('an SLA breach begins when the device becomes late, not while it was on schedule', () => {
    const state = stateOf(WORKSTATION, success(FRIDAY_RUN));
    assert.deepEqual(evaluate(WORKSTATION, state, local('2026-11-24 02:00')).sla, { state: 'breach', maxHours: 24, breachSince: local('2026-11-24 02:00') });
  });

  test('while late, the hour rules still count from the last success', () => {
    const server = scheduled(policy({ kind: 'weekly', days: [1, 2, 3, 4, 5, 6, 7], times: ['01:00'] }, { graceHours: 20 }), 'server');
    const state = stateOf(server, success(local('2026-11-20 01:10')));
    const result = evaluate(server, state, local('2026-11-21 21:00'));
    assert.ok(result.position.late);
    assert.equal(iso(result.alerts.find((alert) => alert.type === 'backup_overdue')!.since), iso(local('2026-11-21 21:00')));
    assert.equal(result.sla.breachSince, local('2026-11-21 21:00'));
  });

  test('a SaaS tenant on a daily cron is overdue 36 h after its missed run, only while late', () => {
    const saas = scheduled(policy({ kind: 'cron', expression: '0 3 * * *' }, { timezone: 'UTC' }), 'saas');
    const state = stateOf(saas, success(Date.UTC(2026, 10, 20, 3, 20)));
    const due = Date.UTC(2026, 10, 21, 3);
    assert.ok(!types(evaluate(saas, state, due + 36 * HOUR)).includes('saas_backup_overdue'));
    assert.equal(iso(evaluate(saas, state, due + 36 * HOUR + 1).alerts.find((alert) => alert.type === 'saas_backup_overdue')!.since), iso(due + 36 * HOUR));
  });
});

describe('offline workstations', () => {
  const laptop = scheduled(policy(WEEKDAYS_22, { offline: { skipWhenOffline: true, alertAfterDays: 7 } }));
  /** Friday's run, then silence. */
  const silentAfterFriday = stateOf(laptop, success(FRIDAY_RUN));

  test('a run the laptop was off for is skipped, not missed: it is not late', () => {
    const result = evaluate(laptop, silentAfterFriday, local('2026-11-24 12:00'));
    assert.equal(result.position.late, false);
    assert.equal(result.health.status, 'healthy');
    assert.ok(!types(result).includes('backup_missed_schedule'));
    assert.equal(iso(result.position.nextDue), iso(local('2026-11-24 22:00')));
  });

  test('the device carries offlineSince and the reason "Offline since …; N runs skipped"', () => {
    const result = evaluate(laptop, silentAfterFriday, local('2026-11-26 12:00'));
    assert.equal(result.position.offlineSince, FRIDAY_RUN);
    assert.equal(result.health.reasons[0], 'Offline since 2026-11-20 21:30 UTC; 3 runs skipped');
  });

  test('compliance counts an offline device pending', () => {
    assert.equal(evaluate(laptop, silentAfterFriday, local('2026-11-26 12:00')).sla.state, 'pending');
  });

  test('device_offline opens after alertAfterDays without any sign of life', () => {
    assert.ok(!types(evaluate(laptop, silentAfterFriday, FRIDAY_RUN + 7 * 24 * HOUR - 1)).includes('device_offline'));
    const alert = evaluate(laptop, silentAfterFriday, FRIDAY_RUN + 7 * 24 * HOUR).alerts.find((a) => a.type === 'device_offline')!;
    assert.equal(alert.severity, 'warning');
    assert.equal(alert.since, FRIDAY_RUN + 7 * 24 * HOUR);
    assert.match(alert.recommendedAction, /user/);
  });

  test('a run the laptop was on for but did not back up is missed', () => {
    const state = stateOf(laptop, success(FRIDAY_RUN), checkin(local('2026-11-23 19:00')));
    const result = evaluate(laptop, state, local('2026-11-24 02:00'));
    assert.ok(result.position.late);
    assert.ok(types(result).includes('backup_missed_schedule'));
  });

  test('a laptop that comes back on Wednesday owes Wednesday night’s run, not Monday’s', () => {
    const state = stateOf(laptop, success(FRIDAY_RUN), checkin(local('2026-11-25 09:00')), checkin(local('2026-11-25 20:00')));
    const result = evaluate(laptop, state, local('2026-11-25 21:00'));
    assert.equal(iso(result.position.nextDue), iso(local('2026-11-25 22:00')));
    assert.equal(result.position.offlineSince, null);
    assert.ok(evaluate(laptop, state, local('2026-11-26 02:00')).position.late);
  });

  test('a sign of life outside every run window attends no run: that run is skipped too', () => {
    const state = stateOf(laptop, success(FRIDAY_RUN), checkin(local('2026-11-25 09:00')));
    const result = evaluate(laptop, state, local('2026-11-26 03:00'));
    assert.equal(result.position.late, false);
    assert.equal(result.health.reasons[0], 'Offline since 2026-11-25 08:00 UTC; 1 run skipped');
  });

  test('servers are never skipped', () => {
    const server = scheduled(laptop.schedule!, 'server');
    assert.ok(evaluate(server, stateOf(server, success(FRIDAY_RUN)), local('2026-11-24 02:00')).position.late);
  });

  test('skipping is opt-in: without it a silent laptop is missed', () => {
    assert.ok(evaluate(WORKSTATION, stateOf(WORKSTATION, success(FRIDAY_RUN)), local('2026-11-24 02:00')).position.late);
  });
});

describe('manual results', () => {
  test('a manual success counts like a job: the missed run resolves', () => {
    const state = stateOf(WORKSTATION, success(FRIDAY_RUN), success(local('2026-11-24 09:00')));
    const result = evaluate(WORKSTATION, state, local('2026-11-24 09:05'));
    assert.equal(result.health.status, 'healthy');
    assert.deepEqual(result.alerts, []);
  });
});

describe('when to look at a device again', () => {
  test('a Mon–Fri workstation on schedule over the weekend needs no look before Tuesday 02:00', () => {
    const state = stateOf(WORKSTATION, success(FRIDAY_RUN));
    const now = local('2026-11-21 12:00');
    assert.deepEqual(scheduleBoundariesAfter(schedulePosition(WORKSTATION, state, now), now).map(iso), [
      iso(local('2026-11-24 02:00')),
      iso(local('2026-11-25 22:00') + 1),
    ]);
  });

  test('a skipping laptop is looked at again when the window of its due run closes and when the offline alert is due', () => {
    const laptop = scheduled(policy(WEEKDAYS_22, { offline: { skipWhenOffline: true, alertAfterDays: 7 } }));
    const state = stateOf(laptop, success(FRIDAY_RUN));
    const now = local('2026-11-24 12:00');
    const boundaries = scheduleBoundariesAfter(schedulePosition(laptop, state, now), now);
    assert.equal(boundaries[0], local('2026-11-25 02:00'));
    assert.ok(boundaries.includes(FRIDAY_RUN + 7 * 24 * HOUR));
  });
});

describe('device_offline resolves', () => {
  test('when the device is heard from again', () => {
    const laptop = scheduled(policy(WEEKDAYS_22, { offline: { skipWhenOffline: true, alertAfterDays: 7 } }));
    const back = local('2026-11-30 08:00');
    const state = stateOf(laptop, success(FRIDAY_RUN), checkin(back));
    const transitions = evaluateAlerts({ device: laptop, state, sla: DEFAULT_SLA, active: [{ type: 'device_offline', severity: 'warning', state: 'open' }] }, back + HOUR);
    assert.deepEqual(transitions.map((t) => [t.action, t.type, t.action === 'resolve' ? t.reason : '']), [['resolve', 'device_offline', 'Device seen again at 2026-11-30 07:00 UTC']]);
  });
});
