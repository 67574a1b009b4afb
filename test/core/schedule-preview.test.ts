import assert from 'node:assert/strict';
import { test } from 'node:test';
import { schedulePreview } from '../../core/schedule-preview.ts';

const NOW = Date.UTC(2026, 10, 27, 12, 0); // Friday 27 Nov 2026, 13:00 in Berlin

test('the preview of Mon–Fri 22:00 in Berlin is the next five weekday evenings, in words', () => {
  const preview = schedulePreview({ schedule: { kind: 'weekly', days: [1, 2, 3, 4, 5], times: ['22:00'] }, timezone: 'Europe/Berlin' }, NOW);
  assert.ok('slots' in preview);
  assert.deepEqual(
    preview.slots.map((slot) => new Date(slot).toISOString()),
    ['2026-11-27T21:00:00.000Z', '2026-11-30T21:00:00.000Z', '2026-12-01T21:00:00.000Z', '2026-12-02T21:00:00.000Z', '2026-12-03T21:00:00.000Z'],
  );
  assert.match(preview.text, /22:00/);
});

test('the preview of the last day of the month walks month ends', () => {
  const preview = schedulePreview({ schedule: { kind: 'monthly', days: [-1], times: ['23:30'] }, timezone: 'UTC' }, NOW);
  assert.ok('slots' in preview);
  assert.deepEqual(preview.slots.map((slot) => new Date(slot).toISOString().slice(0, 10)), ['2026-11-30', '2026-12-31', '2027-01-31', '2027-02-28', '2027-03-31']);
});

test('a bad cron line or timezone is a problem naming the field, not a preview', () => {
  const cron = schedulePreview({ schedule: { kind: 'cron', expression: '0 25 * * *' }, timezone: 'UTC' }, NOW);
  assert.ok('problems' in cron && cron.problems[0]!.field === 'schedule.expression');
  const zone = schedulePreview({ schedule: { kind: 'weekly', days: [1], times: ['22:00'] }, timezone: 'Mars/Olympus' }, NOW);
  assert.ok('problems' in zone && zone.problems.some((problem) => problem.field === 'timezone'));
});
