/**
 * Rules that several surfaces show (API, widgets, mail, PDF, On-Call) and that core
 * therefore states once: hours in breach, the storage level, a client's status from
 * its counts, and the interval of a device without a policy.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
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
} from '../../core/index.ts';
import { alertInput, device, history, hoursAgo, NOW, storage, success } from './builders.ts';

describe('hours in breach', () => {
  test('hours in breach are rounded to one decimal, halves up', () => {
    assert.equal(breachHours(NOW - 20.25 * HOUR, NOW), 20.3);
    assert.equal(breachHours(NOW - 20.24 * HOUR, NOW), 20.2);
    assert.equal(breachHours(NOW, NOW), 0);
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
