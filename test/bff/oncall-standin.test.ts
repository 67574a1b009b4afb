import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startOnCallStandIn, type OnCallStandIn } from '../../demo/standins/oncall.ts';

const KEY = 'oncall-stand-in-key-0123456789abcdef';
let oncall: OnCallStandIn;

const page = async (action: 'trigger' | 'resolve', dedupKey: string, idempotencyKey?: string) => {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-integration-key': KEY };
  if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
  const body = { action, dedupKey, escalationPolicy: 'backup-oncall', severity: 'critical', summary: 'SRV-1 in SLA breach', client: { id: 'acme', name: 'Acme' }, device: { id: 'srv-1', name: 'SRV-1' }, breachHours: 7, link: 'https://x.example/d/srv-1' };
  const response = await fetch(`${oncall.url}/pages`, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
};
const incidentsOf = (dedupKey: string) => oncall.incidents.filter((i) => i.dedupKey === dedupKey);

describe('On-Call stand-in: re-triggers', () => {
  before(async () => {
    oncall = await startOnCallStandIn({ key: KEY });
  });
  after(() => oncall.close());

  test('a re-trigger with the dedupKey of a triggered incident joins it instead of opening a second one', async () => {
    await page('trigger', 'breach-a', 'trigger-a');
    const reply = await page('trigger', 'breach-a', 'reminder-a-1');
    assert.equal(reply.status, 202);
    assert.equal(reply.body.retrigger, true);
    const [incident, ...more] = incidentsOf('breach-a');
    assert.deepEqual(more, []);
    assert.deepEqual([incident!.status, incident!.triggerCount], ['triggered', 2]);
    assert.deepEqual(oncall.pages.filter((p) => p.dedupKey === 'breach-a').map((p) => p.retrigger), [false, true]);
  });

  test('a repeated Idempotency-Key is not a re-trigger', async () => {
    await page('trigger', 'breach-b', 'trigger-b');
    await page('trigger', 'breach-b', 'trigger-b');
    assert.equal(incidentsOf('breach-b')[0]!.triggerCount, 1);
  });

  test('resolve closes the incident; a later trigger with the same key opens a new one', async () => {
    await page('trigger', 'breach-c', 'trigger-c');
    await page('resolve', 'breach-c', 'resolve-c');
    assert.deepEqual(incidentsOf('breach-c').map((i) => i.status), ['resolved']);
    const reply = await page('trigger', 'breach-c', 'trigger-c-2');
    assert.equal(reply.body.retrigger, false);
    assert.deepEqual(incidentsOf('breach-c').map((i) => i.status), ['resolved', 'triggered']);
    await page('resolve', 'breach-c', 'resolve-c-2');
    assert.deepEqual(incidentsOf('breach-c').map((i) => i.status), ['resolved', 'resolved']);
  });
});
