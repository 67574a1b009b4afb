import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { buildWeeklyReport, deliveryWeekKey, latestDeliverySlot, nextDeliverySlot, type WeeklyReportDevice, type WeeklySchedule } from '../../core/index.ts';

const utc = (year: number, month: number, day: number, hour: number, minute = 0) => Date.UTC(year, month - 1, day, hour, minute);
const mondayMorning = (timezone: string): WeeklySchedule => ({ deliveryDay: 'monday', deliveryTime: '08:00', timezone });

describe('weekly delivery slots', () => {
  const newYork = mondayMorning('America/New_York');

  test('the latest slot is the last Monday 08:00 local time', () => {
    assert.equal(latestDeliverySlot(utc(2026, 11, 24, 12), newYork), utc(2026, 11, 23, 13));
  });

  test('each delivery day of the week falls on that weekday (2026-11-23 is a Monday)', () => {
    const days = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
    days.forEach((deliveryDay, index) => {
      assert.equal(nextDeliverySlot(utc(2026, 11, 23, 0), { deliveryDay, deliveryTime: '08:00', timezone: 'UTC' }), utc(2026, 11, 23 + index, 8), deliveryDay);
    });
  });

  test('a slot is its own latest slot, and the next one is a week later', () => {
    const slot = utc(2026, 11, 23, 13);
    assert.equal(latestDeliverySlot(slot, newYork), slot);
    assert.equal(nextDeliverySlot(slot, newYork), utc(2026, 11, 30, 13));
  });

  test('just before the slot the latest is the previous week', () => {
    assert.equal(latestDeliverySlot(utc(2026, 11, 23, 13) - 1, newYork), utc(2026, 11, 16, 13));
    assert.equal(nextDeliverySlot(utc(2026, 11, 23, 13) - 1, newYork), utc(2026, 11, 23, 13));
  });

  test('New York slots move from 13:00 to 12:00 UTC across the spring change (2026-03-08)', () => {
    assert.equal(latestDeliverySlot(utc(2026, 3, 8, 12), newYork), utc(2026, 3, 2, 13));
    assert.equal(nextDeliverySlot(utc(2026, 3, 8, 12), newYork), utc(2026, 3, 9, 12));
  });

  test('New York slots move from 12:00 to 13:00 UTC across the autumn change (2026-11-01)', () => {
    assert.equal(latestDeliverySlot(utc(2026, 11, 1, 12), newYork), utc(2026, 10, 26, 12));
    assert.equal(nextDeliverySlot(utc(2026, 11, 1, 12), newYork), utc(2026, 11, 2, 13));
  });

  test('Berlin slots move from 07:00 to 06:00 UTC across the spring change (2026-03-29)', () => {
    const berlin = mondayMorning('Europe/Berlin');
    assert.equal(latestDeliverySlot(utc(2026, 3, 29, 12), berlin), utc(2026, 3, 23, 7));
    assert.equal(nextDeliverySlot(utc(2026, 3, 29, 12), berlin), utc(2026, 3, 30, 6));
  });

  test('Berlin slots move from 06:00 to 07:00 UTC across the autumn change (2026-10-25)', () => {
    const berlin = mondayMorning('Europe/Berlin');
    assert.equal(latestDeliverySlot(utc(2026, 10, 25, 12), berlin), utc(2026, 10, 19, 6));
    assert.equal(nextDeliverySlot(utc(2026, 10, 25, 12), berlin), utc(2026, 10, 26, 7));
  });

  test('a delivery time skipped by the spring change falls on the first valid instant after it', () => {
    const sunday = (timezone: string): WeeklySchedule => ({ deliveryDay: 'sunday', deliveryTime: '02:30', timezone });
    assert.equal(nextDeliverySlot(utc(2026, 3, 7, 0), sunday('America/New_York')), utc(2026, 3, 8, 7));
    assert.equal(nextDeliverySlot(utc(2026, 3, 28, 0), sunday('Europe/Berlin')), utc(2026, 3, 29, 1));
  });

  test('a delivery time repeated by the autumn change falls on its first occurrence, once', () => {
    const newYorkNight: WeeklySchedule = { deliveryDay: 'sunday', deliveryTime: '01:30', timezone: 'America/New_York' };
    assert.equal(nextDeliverySlot(utc(2026, 10, 31, 0), newYorkNight), utc(2026, 11, 1, 5, 30));
    // At the second 01:30 (EST) the latest slot is still the first one; the next is a week on.
    assert.equal(latestDeliverySlot(utc(2026, 11, 1, 6, 30), newYorkNight), utc(2026, 11, 1, 5, 30));
    assert.equal(nextDeliverySlot(utc(2026, 11, 1, 5, 30), newYorkNight), utc(2026, 11, 8, 6, 30));
    const berlinNight: WeeklySchedule = { deliveryDay: 'sunday', deliveryTime: '02:30', timezone: 'Europe/Berlin' };
    assert.equal(nextDeliverySlot(utc(2026, 10, 24, 0), berlinNight), utc(2026, 10, 25, 0, 30));
  });

  test('the delivery day is the local one', () => {
    // Monday 08:00 in Tokyo is Sunday 23:00 UTC.
    assert.equal(latestDeliverySlot(utc(2026, 11, 24, 12), mondayMorning('Asia/Tokyo')), utc(2026, 11, 22, 23));
  });
});

describe('delivery week key', () => {
  test('a slot is keyed by its ISO week', () => {
    assert.equal(deliveryWeekKey(utc(2026, 11, 23, 13), 'America/New_York'), '2026-W48');
  });

  test('the ISO week follows the local date of the slot', () => {
    const tokyoMonday = utc(2026, 11, 29, 23);
    assert.equal(deliveryWeekKey(tokyoMonday, 'Asia/Tokyo'), '2026-W49');
    assert.equal(deliveryWeekKey(tokyoMonday, 'UTC'), '2026-W48');
  });

  test('days at the turn of the year belong to the ISO year of their Thursday', () => {
    assert.equal(deliveryWeekKey(utc(2027, 1, 1, 12), 'UTC'), '2026-W53');
    assert.equal(deliveryWeekKey(utc(2027, 1, 4, 12), 'UTC'), '2027-W01');
    assert.equal(deliveryWeekKey(utc(2025, 12, 29, 12), 'UTC'), '2026-W01');
  });

  test('consecutive slots across a DST change get consecutive keys', () => {
    const schedule = mondayMorning('Europe/Berlin');
    const before = latestDeliverySlot(utc(2026, 3, 29, 12), schedule);
    const after = nextDeliverySlot(before, schedule);
    assert.deepEqual([deliveryWeekKey(before, 'Europe/Berlin'), deliveryWeekKey(after, 'Europe/Berlin')], ['2026-W13', '2026-W14']);
  });
});

describe('weekly report', () => {
  const entry = (id: string, name: string, status: WeeklyReportDevice['status'], score: number): WeeklyReportDevice => ({
    device: { id, name },
    client: { id: 'c1', name: 'Acme' },
    status,
    score,
  });
  const devices = [
    entry('d1', 'alpha', 'healthy', 98),
    entry('d2', 'bravo', 'warning', 75),
    entry('d3', 'charlie', 'critical', 45),
    entry('d4', 'delta', 'unknown', 0),
    entry('d5', 'echo', 'critical', 60),
    entry('d7', 'golf', 'warning', 75),
    entry('d6', 'foxtrot', 'warning', 75),
    entry('d8', 'foxtrot', 'warning', 75),
  ];
  const input = {
    periodStart: utc(2026, 11, 16, 13),
    periodEnd: utc(2026, 11, 23, 13),
    devices,
    jobs: { completed: 3, successful: 2 },
    newCriticalAlerts: ['a1', 'a2'],
    storageByDay: [{ date: '2026-11-18', usedBytes: 20 }, { date: '2026-11-17', usedBytes: 10 }],
  };

  test('totals count devices by status', () => {
    assert.deepEqual(buildWeeklyReport(input).totals, { devices: 8, healthy: 1, warning: 4, critical: 2, unknown: 1 });
  });

  test('the job success rate is a percentage with one decimal', () => {
    assert.equal(buildWeeklyReport(input).jobSuccessRate, 66.7);
  });

  test('the job success rate is null without jobs', () => {
    assert.equal(buildWeeklyReport({ ...input, jobs: { completed: 0, successful: 0 } }).jobSuccessRate, null);
  });

  test('the five lowest scores exclude unknown devices and break ties by name, then id', () => {
    assert.deepEqual(buildWeeklyReport(input).lowestScores.map((d) => d.device.id), ['d3', 'd5', 'd2', 'd6', 'd8']);
  });

  test('the storage trend is sorted by date and new critical alerts pass through', () => {
    const report = buildWeeklyReport(input);
    assert.deepEqual(report.storageTrend.map((d) => d.date), ['2026-11-17', '2026-11-18']);
    assert.deepEqual(report.newCriticalAlerts, ['a1', 'a2']);
    assert.equal(report.periodStart, input.periodStart);
  });

  test('building the report does not reorder its input', () => {
    const before = devices.map((d) => d.device.id);
    buildWeeklyReport(input);
    assert.deepEqual(devices.map((d) => d.device.id), before);
    assert.equal(input.storageByDay[0]?.date, '2026-11-18');
  });
});
