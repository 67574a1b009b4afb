import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_ONCALL_RULES, HOUR, isWithinBusinessHours, pageDecision, type BusinessHours, type OnCallRules, type PageContext, type SlaState } from '../../core/index.ts';

const weekdays = (timezone: string): BusinessHours => ({ timezone, days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' });
const utc = (month: number, day: number, hour: number, minute = 0) => Date.UTC(2026, month - 1, day, hour, minute);
const within = (at: number, hours: BusinessHours) => isWithinBusinessHours(at, hours);

describe('business hours', () => {
  test('start is inclusive and end exclusive', () => {
    const hours = weekdays('UTC');
    assert.equal(within(utc(11, 24, 7, 59), hours), false);
    assert.equal(within(utc(11, 24, 8), hours), true);
    assert.equal(within(utc(11, 24, 17, 59), hours), true);
    assert.equal(within(utc(11, 24, 18), hours), false);
  });

  test('weekends are outside business hours', () => {
    assert.equal(within(utc(11, 28, 12), weekdays('UTC')), false);
    assert.equal(within(utc(11, 29, 12), weekdays('UTC')), false);
  });

  test('the weekday is the local one, not the UTC one', () => {
    // Friday 2026-11-27 22:30 UTC is Saturday 11:30 in Auckland and Friday 17:30 in New York.
    assert.equal(within(utc(11, 27, 22, 30), weekdays('America/New_York')), true);
    assert.equal(within(utc(11, 27, 22, 30), { ...weekdays('Pacific/Auckland'), days: [6], start: '07:00' }), true);
  });

  test('New York opens at 13:00 UTC before the spring change and at 12:00 UTC after it (2026-03-08)', () => {
    const hours = weekdays('America/New_York');
    assert.equal(within(utc(3, 6, 12, 30), hours), false);
    assert.equal(within(utc(3, 6, 13), hours), true);
    assert.equal(within(utc(3, 9, 11, 59), hours), false);
    assert.equal(within(utc(3, 9, 12), hours), true);
  });

  test('New York on the spring-change night: 01:30 EST exists, 03:00 EDT follows 01:59', () => {
    const night: BusinessHours = { timezone: 'America/New_York', days: [7], start: '01:00', end: '03:00' };
    assert.equal(within(utc(3, 8, 6, 30), night), true);
    assert.equal(within(utc(3, 8, 7), night), false);
  });

  test('New York closes at 22:00 UTC before the autumn change and at 23:00 UTC after it (2026-11-01)', () => {
    const hours = weekdays('America/New_York');
    assert.equal(within(utc(10, 30, 21, 59), hours), true);
    assert.equal(within(utc(10, 30, 22), hours), false);
    assert.equal(within(utc(11, 2, 22, 30), hours), true);
    assert.equal(within(utc(11, 2, 23), hours), false);
  });

  test('New York on the autumn-change night: both 01:30s are within a 01:00–02:00 window', () => {
    const night: BusinessHours = { timezone: 'America/New_York', days: [7], start: '01:00', end: '02:00' };
    assert.equal(within(utc(11, 1, 5, 30), night), true);
    assert.equal(within(utc(11, 1, 6, 30), night), true);
    assert.equal(within(utc(11, 1, 7), night), false);
  });

  test('Berlin opens at 07:00 UTC before the spring change and at 06:00 UTC after it (2026-03-29)', () => {
    const hours = weekdays('Europe/Berlin');
    assert.equal(within(utc(3, 27, 6, 30), hours), false);
    assert.equal(within(utc(3, 27, 7), hours), true);
    assert.equal(within(utc(3, 30, 6), hours), true);
    assert.equal(within(utc(3, 30, 5, 59), hours), false);
  });

  test('Berlin opens at 06:00 UTC before the autumn change and at 07:00 UTC after it (2026-10-25)', () => {
    const hours = weekdays('Europe/Berlin');
    assert.equal(within(utc(10, 23, 6), hours), true);
    assert.equal(within(utc(10, 26, 6, 30), hours), false);
    assert.equal(within(utc(10, 26, 7), hours), true);
  });

  test('a window ending before it starts runs past midnight from a listed day', () => {
    const night: BusinessHours = { timezone: 'UTC', days: [5], start: '22:00', end: '06:00' };
    assert.equal(within(utc(11, 27, 23), night), true);
    assert.equal(within(utc(11, 28, 5), night), true);
    assert.equal(within(utc(11, 28, 6), night), false);
    assert.equal(within(utc(11, 27, 5), night), false);
  });
});

describe('on-call pages', () => {
  const rules: OnCallRules = { ...DEFAULT_ONCALL_RULES, enabled: true, businessHours: weekdays('UTC') };
  const saturdayNight = utc(11, 28, 22);
  const breach = (hours: number, now = saturdayNight): SlaState => ({ state: 'breach', maxHours: 12, breachSince: now - hours * HOUR });
  const page = (overrides: Partial<PageContext>): PageContext => ({ kind: 'server', sla: breach(7), paged: false, now: saturdayNight, ...overrides });

  test('a server in breach longer than the threshold outside business hours is paged', () => {
    assert.deepEqual(pageDecision(page({ sla: breach(7.26) }), rules), { action: 'trigger', breachHours: 7.3 });
  });

  test('a breach of exactly the threshold does not page', () => {
    assert.equal(pageDecision(page({ sla: breach(6) }), rules), null);
  });

  test('nothing pages during business hours', () => {
    const tuesdayNoon = utc(11, 24, 12);
    assert.equal(pageDecision(page({ now: tuesdayNoon, sla: breach(10, tuesdayNoon) }), rules), null);
  });

  test('only the configured device kinds page', () => {
    assert.equal(pageDecision(page({ kind: 'workstation' }), rules), null);
    assert.equal(pageDecision(page({ kind: 'workstation' }), { ...rules, deviceKinds: ['server', 'workstation'] })?.action, 'trigger');
  });

  test('a device already paged is not paged again, even into business hours', () => {
    assert.equal(pageDecision(page({ paged: true }), rules), null);
    const mondayMorning = utc(11, 30, 9);
    assert.equal(pageDecision(page({ paged: true, now: mondayMorning, sla: breach(40, mondayMorning) }), rules), null);
  });

  test('a paged device meeting its SLA again resolves the page', () => {
    assert.deepEqual(pageDecision(page({ paged: true, sla: { state: 'meeting', maxHours: 12, breachSince: null } }), rules), { action: 'resolve' });
  });

  test('a device meeting its SLA and not paged needs nothing', () => {
    assert.equal(pageDecision(page({ sla: { state: 'meeting', maxHours: 12, breachSince: null } }), rules), null);
  });

  test('a disabled integration never pages', () => {
    assert.equal(pageDecision(page({}), DEFAULT_ONCALL_RULES), null);
    assert.equal(pageDecision(page({ paged: true, sla: { state: 'meeting', maxHours: 12, breachSince: null } }), DEFAULT_ONCALL_RULES), null);
  });
});
