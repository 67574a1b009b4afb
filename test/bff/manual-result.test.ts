/**
 * Manual results (docs/schedules.md): a person records a backup result by hand; it is a job with
 * source "manual", who and the note, and counts like any job. And `DELETE /devices/:id
 * {reason}` keeps why a device was retired.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DeviceDetail, JobItem } from '../../core/api.ts';
import { HOUR, T0, testApp, type TestApp } from './harness.ts';
import { embedToken, ok, putDevice, seedFleet } from './fleet.ts';

describe('POST /devices/:id/manual-result', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
    await seedFleet(t);
  });
  after(() => t.close());

  const detail = (id: string): Promise<DeviceDetail> => ok(t.request('GET', `devices/${id}`));

  test('a manual success is a job with source "manual", who entered it and the note, and it counts like a reported job', async () => {
    const before = await detail('srv-failing');
    assert.equal(before.status, 'critical');
    const body = { status: 'success', at: new Date(T0 - HOUR).toISOString(), note: 'Copied to the USB disk by hand; agent reinstalled.' };
    const { status, json } = await t.request('POST', 'devices/srv-failing/manual-result', { body });
    assert.equal(status, 201);
    const job = json as JobItem;
    assert.equal(job.source, 'manual');
    assert.equal(job.status, 'success');
    assert.equal(job.note, body.note);
    assert.match(job.recordedBy ?? '', /^key:/);
    assert.equal(job.startedAt, body.at);

    const after = await detail('srv-failing');
    assert.equal(after.lastSuccessAt, body.at);
    assert.equal(after.consecutiveFailures, 0);
    assert.notEqual(after.status, 'critical');
    const listed = after.jobs.find((candidate) => candidate.id === job.id);
    assert.deepEqual(listed, job);
    assert.ok(after.jobs.filter((candidate) => candidate.id !== job.id).every((candidate) => candidate.source === 'agent' && candidate.recordedBy === null));
  });

  test('without `at` the result is recorded now; a manual failure counts as a failure', async () => {
    const { json } = await t.request('POST', 'devices/ws-healthy/manual-result', { body: { status: 'failed', note: 'Restore test failed: archive unreadable.' } });
    assert.equal(json.startedAt, new Date(t.clock()).toISOString());
    const device = await detail('ws-healthy');
    assert.equal(device.lastJobStatus, 'failed');
    assert.equal(device.consecutiveFailures, 1);
  });

  test('an operate embed token records as its subject; a read-only token is refused; a client-scoped token sees only its client', async () => {
    const operate = await embedToken(t, undefined, ['read', 'operate']);
    const recorded = await t.request('POST', 'devices/saas-ok/manual-result', { token: operate, body: { status: 'success', note: 'Export verified.' } });
    assert.equal(recorded.status, 201);
    assert.match(recorded.json.recordedBy, /^embed/);

    const reader = await embedToken(t, undefined, ['read']);
    assert.equal((await t.request('POST', 'devices/saas-ok/manual-result', { token: reader, body: { status: 'success', note: 'x' } })).status, 403);

    const contoso = await embedToken(t, 'contoso', ['read', 'operate']);
    assert.equal((await t.request('POST', 'devices/saas-ok/manual-result', { token: contoso, body: { status: 'success', note: 'x' } })).status, 404, 'fabrikam device');
    assert.equal((await t.request('POST', 'devices/srv-late/manual-result', { token: contoso, body: { status: 'success', note: 'x' } })).status, 201);
  });

  test('bad input is a 422 naming the field, and nothing is recorded', async () => {
    const jobsBefore = (await detail('srv-stale')).jobs.length;
    const cases: [object, string][] = [
      [{ status: 'success', note: '' }, 'note'],
      [{ status: 'success', note: 'x'.repeat(2_001) }, 'note'],
      [{ status: 'success', note: 'ok\u0007' }, 'note'],
      [{ status: 'success', note: 'ok', at: 'yesterday' }, 'at'],
      [{ status: 'success', note: 'ok', at: new Date(T0 + 2 * HOUR).toISOString() }, 'at'],
      [{ status: 'running', note: 'ok' }, 'status'],
      [{ status: 'success' }, 'note'],
    ];
    for (const [body, path] of cases) {
      const { status, json } = await t.request('POST', 'devices/srv-stale/manual-result', { body });
      assert.equal(status, 422, JSON.stringify(body));
      assert.ok(json.errors.some((error: { path: string }) => error.path === path), `${JSON.stringify(body)} → ${JSON.stringify(json.errors)}`);
    }
    assert.equal((await t.request('POST', 'devices/nobody/manual-result', { body: { status: 'success', note: 'ok' } })).status, 404);
    assert.equal((await detail('srv-stale')).jobs.length, jobsBefore);
  });

  test('a note may span lines (it is a note, not a name)', async () => {
    const { status, json } = await t.request('POST', 'devices/srv-stale/manual-result', { body: { status: 'success', note: 'Ran by hand.\nTicket 4711.' } });
    assert.equal(status, 201);
    assert.equal(json.note, 'Ran by hand.\nTicket 4711.');
  });
});

describe('DELETE /devices/:id {reason}', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
    await seedFleet(t);
  });
  after(() => t.close());

  test('the reason is kept with the retired device; re-enrolling clears it', async () => {
    const { status } = await t.request('DELETE', 'devices/ws-new', { body: { reason: 'Replaced by WS-0142' } });
    assert.equal(status, 204);
    const retired: DeviceDetail = await ok(t.request('GET', 'devices/ws-new'));
    assert.ok(retired.retiredAt);
    assert.equal(retired.retiredReason, 'Replaced by WS-0142');

    await putDevice(t, 'ws-new', { clientId: 'contoso', name: 'WS New', kind: 'workstation', policyId: 'daily' });
    const back: DeviceDetail = await ok(t.request('GET', 'devices/ws-new'));
    assert.equal(back.retiredAt, null);
    assert.equal(back.retiredReason, null);
  });

  test('without a body it retires as before, with no reason', async () => {
    assert.equal((await t.request('DELETE', 'devices/saas-ok')).status, 204);
    assert.equal(((await ok(t.request('GET', 'devices/saas-ok'))) as DeviceDetail).retiredReason, null);
  });

  test('a reason with a control character or over 500 characters is a 422 and the device stays', async () => {
    for (const reason of ['gone\nRecommended action: none', 'x'.repeat(501), '  ']) {
      const { status, json } = await t.request('DELETE', 'devices/srv-late', { body: { reason } });
      assert.equal(status, 422);
      assert.equal(json.errors[0].path, 'reason');
    }
    assert.equal(((await ok(t.request('GET', 'devices/srv-late'))) as DeviceDetail).retiredAt, null);
  });
});
