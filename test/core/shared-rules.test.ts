/**
 * Rules that several surfaces show (API, widgets, mail, PDF, On-Call) and that core
 * therefore states once: hours in breach, the storage level, a client's status from
 * its counts, the interval of a device without a policy, and what a clock time and a
 * time zone are.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as wire from '../../core/api.ts';
import {
  CLOCK_TIME_PATTERN,
  isTimeZone,
  maintenanceWindowIssues,
  parseClock,
  scheduleProblems,
  isStartTime,
  alertConditions,
  breachHours,
  clientStatus,
  DEFAULT_INTERVAL_HOURS,
  DEFAULT_ONCALL_RULES,
  deviceProfile,
  evaluateSla,
  HOUR,
  intervalHoursOf,
  pageDecision,
  storageLevel,
  totalBreachHours,
} from '../../core/index.ts';
import { alertInput, device, history, hoursAgo, NOW, storage, success } from './builders.ts';

describe('hours in breach', () => {
  test('hours in breach are rounded to one decimal, halves up', () => {
    assert.equal(breachHours(NOW - 20.25 * HOUR, NOW), 20.3);
    assert.equal(breachHours(NOW - 20.24 * HOUR, NOW), 20.2);
    assert.equal(breachHours(NOW, NOW), 0);
  });

  test("a period's hours in breach are its breaches' hours summed, then rounded once", () => {
    assert.equal(totalBreachHours([{ hours: 0.04 }, { hours: 0.04 }, { hours: 0.04 }]), 0.1);
    assert.equal(totalBreachHours([{ hours: 1.25 }, { hours: 2 }]), 3.3);
    assert.equal(totalBreachHours([]), 0);
  });

  test('an On-Call trigger reports the same hours in breach as the compliance report', () => {
    const sla = evaluateSla('server', history(success(hoursAgo(30.47))), { workstationHours: 24, serverHours: 12, saasHours: 36 }, NOW);
    const rules = { ...DEFAULT_ONCALL_RULES, enabled: true, businessHours: { ...DEFAULT_ONCALL_RULES.businessHours, days: [] } };
    const decision = pageDecision({ kind: 'server', sla, paged: false, now: NOW }, rules);
    assert.deepEqual(decision, { action: 'trigger', breachHours: breachHours(sla.breachSince!, NOW) });
    assert.equal(breachHours(sla.breachSince!, NOW), 18.5);
  });
});

describe('storage level', () => {
  test('storage is ok up to 80 % of the quota, high above it and full above 95 %', () => {
    assert.equal(storageLevel(0.8), 'ok');
    assert.equal(storageLevel(0.8001), 'high');
    assert.equal(storageLevel(0.95), 'high');
    assert.equal(storageLevel(0.9501), 'full');
    assert.equal(storageLevel(1.2), 'full');
  });

  test('storage is called full exactly when storage_quota_exceeded holds', () => {
    for (const used of [940, 950, 951, 960, 1000, 1100]) {
      const input = alertInput(device({ kind: 'server', quotaBytes: 1000 }), history(success(hoursAgo(1)), storage(hoursAgo(1), used)));
      const alerted = alertConditions(input, NOW).some((c) => c.type === 'storage_quota_exceeded');
      assert.equal(storageLevel(used / 1000) === 'full', alerted, `${used} of 1000`);
    }
  });
});

describe("a client's status", () => {
  test("a client's status is its worst device status: critical, then warning, then unknown, then healthy", () => {
    assert.equal(clientStatus({ healthy: 3, warning: 1, critical: 0, unknown: 2 }), 'warning');
    assert.equal(clientStatus({ healthy: 3, warning: 1, critical: 1, unknown: 2 }), 'critical');
    assert.equal(clientStatus({ healthy: 3, warning: 0, critical: 0, unknown: 1 }), 'unknown');
    assert.equal(clientStatus({ healthy: 3, warning: 0, critical: 0, unknown: 0 }), 'healthy');
  });

  test('a client without devices is healthy', () => {
    assert.equal(clientStatus({ healthy: 0, warning: 0, critical: 0, unknown: 0 }), 'healthy');
  });
});

describe('a device without a policy', () => {
  test('a device without a policy is judged on a 24 h interval', () => {
    assert.equal(DEFAULT_INTERVAL_HOURS, 24);
    assert.equal(intervalHoursOf(null), 24);
    assert.equal(intervalHoursOf(undefined), 24);
    assert.deepEqual(deviceProfile('server', null, 500), { kind: 'server', intervalHours: 24, quotaBytes: 500 });
  });

  test("a policy's own interval wins over the default", () => {
    assert.equal(intervalHoursOf(4), 4);
    assert.equal(deviceProfile('workstation', 0.5, null).intervalHours, 0.5);
  });
});

describe('clock times and time zones', () => {
  test('a clock time is "HH:MM" from 00:00 to 24:00 (the end of the day); a start time stops at 23:59', () => {
    for (const time of ['00:00', '08:30', '23:59']) {
      assert.ok(CLOCK_TIME_PATTERN.test(time), time);
      assert.ok(isStartTime(time), time);
    }
    assert.ok(CLOCK_TIME_PATTERN.test('24:00'));
    assert.ok(!isStartTime('24:00'));
    for (const time of ['8:00', '24:01', '23:60', '25:00', '0800', ' 08:00', '08:00 ', '']) {
      assert.ok(!CLOCK_TIME_PATTERN.test(time), time);
      assert.ok(!isStartTime(time), time);
    }
  });

  test('parseClock reads exactly the times the clock pattern accepts', () => {
    const text = fc.oneof(
      fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), fc.boolean()).map(([h, m, pad]) => `${pad ? String(h).padStart(2, '0') : h}:${String(m).padStart(2, '0')}`),
      fc.string(),
    );
    fc.assert(
      fc.property(text, (time) => {
        let minutes: number | null = null;
        try {
          minutes = parseClock(time);
        } catch {
          // refused
        }
        assert.equal(minutes !== null, CLOCK_TIME_PATTERN.test(time), time);
        if (minutes !== null) assert.equal(minutes, time === '24:00' ? 1440 : Number(time.slice(0, 2)) * 60 + Number(time.slice(3)));
      }),
      { numRuns: 1_000 },
    );
  });

  test('the edge, calendar schedules and maintenance windows take the same time zones and start times', () => {
    assert.equal(wire.isTimeZone, isTimeZone, "the edge's check is core's");
    assert.equal(wire.CLOCK_TIME_PATTERN, CLOCK_TIME_PATTERN, "the edge's pattern is core's");
    const window = (timezone: string, start: string) => ({ name: 'Patch night', scope: { clientId: 'acme' }, weekly: { days: [2], start, durationMinutes: 60 }, timezone });
    for (const zone of ['Europe/Berlin', 'UTC', 'America/New_York', '', 'Nowhere/Special', 'utc+1', 'Europe/Berlin ']) {
      const scheduleTakes = !scheduleProblems({ schedule: { kind: 'weekly', days: [1], times: ['22:00'] }, timezone: zone }).some((problem) => problem.field === 'timezone');
      const windowTakes = !maintenanceWindowIssues(window(zone, '22:00')).some((issue) => issue.path === 'timezone');
      assert.equal(scheduleTakes, isTimeZone(zone), `schedule, ${JSON.stringify(zone)}`);
      assert.equal(windowTakes, isTimeZone(zone), `maintenance window, ${JSON.stringify(zone)}`);
    }
    for (const start of ['00:00', '23:59', '24:00', '8:00']) {
      const scheduleTakes = scheduleProblems({ schedule: { kind: 'weekly', days: [1], times: [start] }, timezone: 'UTC' }).length === 0;
      const windowTakes = !maintenanceWindowIssues(window('UTC', start)).some((issue) => issue.path === 'weekly.start');
      assert.equal(scheduleTakes, isStartTime(start), `schedule time ${start}`);
      assert.equal(windowTakes, isStartTime(start), `window start ${start}`);
    }
  });
});
