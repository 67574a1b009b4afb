import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatDateTime } from '../../bff/services/mail/format.ts';

describe('times in mails and PDFs name their zone', () => {
  test("by its short name where English has one, in Europe and in North America, with daylight saving", () => {
    assert.equal(formatDateTime('2026-11-24T07:00:00Z', 'Europe/Berlin', true), '24 Nov 2026, 08:00 CET');
    assert.equal(formatDateTime('2026-07-01T07:00:00Z', 'Europe/Berlin', true), '1 Jul 2026, 09:00 CEST');
    assert.equal(formatDateTime('2026-07-01T07:00:00Z', 'Europe/London', true), '1 Jul 2026, 08:00 BST');
    assert.equal(formatDateTime('2026-11-24T07:00:00Z', 'America/Chicago', true), '24 Nov 2026, 01:00 CST');
    assert.equal(formatDateTime('2026-07-01T07:00:00Z', 'America/New_York', true), '1 Jul 2026, 03:00 EDT');
  });

  test('by its offset where it has no short name, and in UTC for an unknown zone', () => {
    assert.equal(formatDateTime('2026-11-24T07:00:00Z', 'Asia/Tokyo', true), '24 Nov 2026, 16:00 GMT+9');
    assert.equal(formatDateTime('2026-11-24T07:00:00Z', 'UTC', true), '24 Nov 2026, 07:00 UTC');
    assert.equal(formatDateTime('2026-11-24T07:00:00Z', 'Mars/Olympus', true), '24 Nov 2026, 07:00 UTC');
  });

  test('without the label when asked', () => {
    assert.equal(formatDateTime('2026-11-24T07:00:00Z', 'America/Chicago'), '24 Nov 2026, 01:00');
  });
});
