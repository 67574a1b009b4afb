import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createSilence, expireSilence, HOUR, silenceIssues, silenceMatches, silencesMuting, silenceState, type Silence, type SilenceSubject } from '../../core/index.ts';
import { NOW } from './builders.ts';

const failedOnWs1: SilenceSubject = { deviceId: 'ws-1', clientId: 'acme', type: 'backup_failed' };
const silence = (overrides: Partial<Silence> = {}): Silence => ({
  id: 's-1',
  matchers: { clientId: 'acme' },
  startsAt: NOW - HOUR,
  endsAt: NOW + HOUR,
  comment: 'Acme is migrating its file server',
  createdBy: 'jamie@msp.example',
  ...overrides,
});

describe('silence state', () => {
  test('a silence is pending before it starts, active from its start and expired from its end', () => {
    const s = silence({ startsAt: NOW, endsAt: NOW + HOUR });
    assert.equal(silenceState(s, NOW - 1), 'pending');
    assert.equal(silenceState(s, NOW), 'active');
    assert.equal(silenceState(s, NOW + HOUR - 1), 'active');
    assert.equal(silenceState(s, NOW + HOUR), 'expired');
  });

  test('expiring an active silence ends it now', () => {
    const expired = expireSilence(silence(), NOW);
    assert.deepEqual([expired.startsAt, expired.endsAt, silenceState(expired, NOW)], [NOW - HOUR, NOW, 'expired']);
  });

  test('expiring a pending silence means it never starts', () => {
    const expired = expireSilence(silence({ startsAt: NOW + HOUR, endsAt: NOW + 2 * HOUR }), NOW);
    assert.deepEqual([expired.startsAt, expired.endsAt, silenceState(expired, NOW)], [NOW, NOW, 'expired']);
  });

  test('expiring an expired silence changes nothing', () => {
    const old = silence({ startsAt: NOW - 3 * HOUR, endsAt: NOW - 2 * HOUR });
    assert.equal(expireSilence(old, NOW), old);
  });
});

describe('silence matchers', () => {
  test('every matcher given must match', () => {
    assert.equal(silenceMatches(silence({ matchers: { clientId: 'acme', type: 'backup_failed' } }), failedOnWs1), true);
    assert.equal(silenceMatches(silence({ matchers: { clientId: 'acme', type: 'backup_overdue' } }), failedOnWs1), false);
    assert.equal(silenceMatches(silence({ matchers: { deviceId: 'ws-1' } }), failedOnWs1), true);
    assert.equal(silenceMatches(silence({ matchers: { deviceId: 'ws-2' } }), failedOnWs1), false);
    assert.equal(silenceMatches(silence({ matchers: { clientId: 'globex' } }), failedOnWs1), false);
  });

  test('a silence without matchers matches nothing', () => {
    assert.equal(silenceMatches(silence({ matchers: {} }), failedOnWs1), false);
  });

  test('a page about a device’s SLA breach is muted by a device or client silence, not by a silence of one alert type', () => {
    const page: SilenceSubject = { deviceId: 'ws-1', clientId: 'acme', type: null };
    assert.equal(silenceMatches(silence({ matchers: { deviceId: 'ws-1' } }), page), true);
    assert.equal(silenceMatches(silence({ matchers: { deviceId: 'ws-1', type: 'backup_overdue' } }), page), false);
  });

  test('only active matching silences mute an alert', () => {
    const silences = [
      silence({ id: 'active' }),
      silence({ id: 'pending', startsAt: NOW + HOUR, endsAt: NOW + 2 * HOUR }),
      silence({ id: 'expired', startsAt: NOW - 2 * HOUR, endsAt: NOW }),
      silence({ id: 'other-client', matchers: { clientId: 'globex' } }),
      silence({ id: 'same-type', matchers: { type: 'backup_failed' } }),
    ];
    assert.deepEqual(silencesMuting(failedOnWs1, silences, NOW).map((s) => s.id), ['active', 'same-type']);
  });
});

describe('creating a silence', () => {
  const request = { matchers: { clientId: 'acme' }, endsAt: NOW + HOUR, comment: ' Migration ' };

  test('starts now unless told otherwise, and records who created it', () => {
    assert.deepEqual(createSilence(request, 's-9', 'key:ops', NOW), {
      id: 's-9', matchers: { clientId: 'acme' }, startsAt: NOW, endsAt: NOW + HOUR, comment: 'Migration', createdBy: 'key:ops',
    });
    assert.equal(createSilence({ ...request, startsAt: NOW + HOUR, endsAt: NOW + 2 * HOUR }, 's-9', 'key:ops', NOW).startsAt, NOW + HOUR);
  });

  test('a valid request has no issues; a comment may span lines', () => {
    assert.deepEqual(silenceIssues(request, NOW), []);
    assert.deepEqual(silenceIssues({ ...request, comment: 'Migration\nuntil Friday' }, NOW), []);
  });

  test('a silence needs a matcher, so it never mutes a whole tenant by accident', () => {
    assert.deepEqual(silenceIssues({ ...request, matchers: {} }, NOW).map((i) => i.path), ['matchers']);
  });

  test('the end must follow the start and lie in the future', () => {
    assert.deepEqual(silenceIssues({ ...request, startsAt: NOW + 2 * HOUR }, NOW), [{ path: 'endsAt', message: 'endsAt must be after startsAt' }]);
    assert.deepEqual(silenceIssues({ ...request, startsAt: NOW - 2 * HOUR, endsAt: NOW - HOUR }, NOW), [{ path: 'endsAt', message: 'endsAt must be in the future' }]);
  });

  test('without a startsAt (it starts now), an end in the past is named as not in the future, not as before a start nobody gave', () => {
    assert.deepEqual(silenceIssues({ ...request, endsAt: NOW - HOUR }, NOW), [{ path: 'endsAt', message: 'endsAt must be in the future' }]);
    assert.deepEqual(silenceIssues({ ...request, endsAt: NOW }, NOW), [{ path: 'endsAt', message: 'endsAt must be in the future' }]);
  });

  test('a comment says why, and an unknown alert type is named', () => {
    assert.deepEqual(silenceIssues({ ...request, comment: '  ' }, NOW).map((i) => i.path), ['comment']);
    assert.deepEqual(silenceIssues({ ...request, matchers: { type: 'backup_exploded' as never } }, NOW).map((i) => i.path), ['matchers.type']);
  });
});
