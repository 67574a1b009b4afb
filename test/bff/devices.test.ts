import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEVICE_SORTS, listPlan, type DeviceSort } from '../../bff/services/device-queries.ts';
import type { DeviceDetail, DeviceItem, DeviceListItem } from '../../core/api.ts';
import { HOUR, T0, testApp, type TestApp } from './harness.ts';
import { drTest, embedToken, job, ok, postEvents, putClient, putDevice, putPolicy, seedFleet, storage } from './fleet.ts';

const STATUS_RANK = { critical: 0, warning: 1, unknown: 2, healthy: 3 } as const;
const sortKey: Record<DeviceSort, (item: DeviceItem) => string | number | null> = {
  score: (item) => item.score,
  name: (item) => item.name,
  lastSuccessAt: (item) => (item.lastSuccessAt ? Date.parse(item.lastSuccessAt) : null),
  storage: (item) => item.storage.usedBytes,
  status: (item) => STATUS_RANK[item.status],
  client: (item) => item.client.name,
  kind: (item) => item.kind,
  policy: (item) => item.policy.name,
};
/** The documented order: key (null first ascending), then id, both in the requested direction. */
function compareBy(sort: DeviceSort, order: 'asc' | 'desc') {
  const sign = order === 'asc' ? 1 : -1;
  const cmp = (a: string | number | null, b: string | number | null) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);
  return (a: DeviceItem, b: DeviceItem) => sign * (cmp(sortKey[sort](a), sortKey[sort](b)) || cmp(a.id, b.id));
}

async function allPages(t: TestApp, query: string, limit: number): Promise<DeviceItem[]> {
  const items: DeviceItem[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: DeviceItem[]; nextCursor: string | null } = await ok(t.request('GET', `devices?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`));
    assert.ok(page.items.length <= limit);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

describe('GET /devices', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
    await seedFleet(t);
    // Devices without jobs share score 0: ties must be broken by id across pages.
    for (let i = 0; i < 9; i++) await putDevice(t, `tie-${i}`, { clientId: i % 2 ? 'contoso' : 'fabrikam', name: `Tie 100%_${i}`, kind: 'workstation', policyId: 'daily' });
  });
  after(() => t.close());

  test('lists active devices worst score first, ties by id', async () => {
    const { items, nextCursor } = await ok(t.request('GET', 'devices'));
    assert.equal(items.length, 15);
    assert.equal(nextCursor, null);
    assert.deepEqual(items, [...items].sort(compareBy('score', 'asc')));
    assert.equal(items[0].status, 'unknown');
  });

  test('an item carries the list fields of the spec', async () => {
    const { items } = await ok(t.request('GET', 'devices?q=ws-healthy&include=runs'));
    assert.deepEqual(items[0], {
      id: 'ws-healthy',
      name: 'WS Healthy',
      kind: 'workstation',
      client: { id: 'contoso', name: 'Contoso' },
      policy: { id: 'daily', name: 'Every 24 h', intervalHours: 24 },
      status: 'healthy',
      score: items[0].score,
      lastSuccessAt: new Date(T0 - HOUR).toISOString(),
      lastJobStatus: 'success',
      consecutiveFailures: 0,
      storage: { usedBytes: 150_000, quotaBytes: 1_000_000 },
      maintenance: null,
      schedule: items[0].schedule,
      nextDueAt: new Date(T0 + 23 * HOUR).toISOString(),
      lateSince: null,
      offlineSince: null,
      runs: items[0].runs,
    });
    assert.ok(items[0].score >= 90);
    assert.equal(items[0].schedule.kind, 'interval');
    assert.match(items[0].schedule.text, /24 h/);
    assert.equal(items[0].runs!.length, 8, 'one per local day since enrolment a week ago (at most 14)');
    assert.deepEqual(items[0].runs!.slice(-2).map((run: NonNullable<DeviceListItem['runs']>[number]) => [run.result, run.jobs.length]), [['success', 1], ['success', 1]]);
  });

  test('a plain list carries no schedule fields; include=schedule adds them without runs (no jobs read)', async () => {
    const plain = await ok(t.request('GET', 'devices?limit=500'));
    assert.ok(plain.items.length > 0);
    for (const item of plain.items as DeviceListItem[]) assert.deepEqual([item.schedule, item.nextDueAt, item.runs], [undefined, undefined, undefined], item.id);
    const { items } = await ok(t.request('GET', 'devices?limit=500&include=schedule'));
    for (const item of items as DeviceListItem[]) {
      const detail: DeviceDetail = await ok(t.request('GET', `devices/${item.id}`));
      assert.equal(item.runs, undefined, item.id);
      assert.deepEqual([item.schedule, item.nextDueAt, item.lateSince, item.offlineSince], [detail.schedule, detail.nextDueAt, detail.lateSince, detail.offlineSince], item.id);
    }
  });

  test('with include=runs each item carries its own last 14 runs, read for the whole page at once', async () => {
    const { items } = await ok(t.request('GET', 'devices?limit=500&include=runs'));
    for (const item of items as DeviceListItem[]) {
      const detail: DeviceDetail = await ok(t.request('GET', `devices/${item.id}`));
      assert.deepEqual(item.runs, detail.runs, item.id);
      assert.deepEqual([item.schedule, item.nextDueAt, item.lateSince, item.offlineSince], [detail.schedule, detail.nextDueAt, detail.lateSince, detail.offlineSince], item.id);
    }
  });

  for (const sort of DEVICE_SORTS) {
    for (const order of ['asc', 'desc'] as const) {
      test(`sort=${sort}&order=${order} orders by ${sort} then id, across pages of 4`, async () => {
        const all = (await ok(t.request('GET', `devices?sort=${sort}&order=${order}&limit=500`))).items as DeviceItem[];
        assert.deepEqual(all.map((item) => item.id), [...all].sort(compareBy(sort, order)).map((item) => item.id));
        const paged = await allPages(t, `sort=${sort}&order=${order}`, 4);
        assert.deepEqual(paged.map((item) => item.id), all.map((item) => item.id));
      });
    }
  }

  for (const order of ['asc', 'desc'] as const) {
    test(`with a client filter every sort (${order}) pages through that client's devices in the list's order`, async () => {
      for (const sort of DEVICE_SORTS) {
        const all = (await ok(t.request('GET', `devices?sort=${sort}&order=${order}&limit=500`))).items as DeviceItem[];
        const paged = await allPages(t, `client=contoso&sort=${sort}&order=${order}`, 3);
        assert.deepEqual(paged.map((item) => item.id), all.filter((item) => item.client.id === 'contoso').map((item) => item.id), sort);
      }
    });
  }

  test("a client's page is read from the client's devices when the client is small beside its tenant, else along the sort index", () => {
    assert.equal(listPlan(100, 4_000), 'sort-client');
    assert.equal(listPlan(100, 40_000), 'sort-client');
    assert.equal(listPlan(2_000, 40_000), 'walk');
    assert.equal(listPlan(40_000, 40_000), 'walk');
  });

  test('paging one device at a time visits every device exactly once', async () => {
    const ids = (await allPages(t, 'sort=score', 1)).map((item) => item.id);
    assert.equal(ids.length, 15);
    assert.equal(new Set(ids).size, 15);
  });

  test('status and kind filters take comma lists', async () => {
    const { items } = await ok(t.request('GET', 'devices?status=critical,warning&kind=server'));
    assert.deepEqual(items.map((item: DeviceItem) => item.id).sort(), ['srv-failing', 'srv-late', 'srv-stale']);
  });

  test('a repeated status parameter works like a comma list', async () => {
    const { items } = await ok(t.request('GET', 'devices?status=healthy&status=warning'));
    assert.deepEqual(items.map((item: DeviceItem) => item.id).sort(), ['saas-ok', 'srv-late', 'ws-healthy']);
  });

  test('the client filter keeps one client', async () => {
    const { items } = await ok(t.request('GET', 'devices?client=fabrikam&status=healthy,critical'));
    assert.deepEqual(items.map((item: DeviceItem) => item.id).sort(), ['saas-ok', 'srv-stale']);
  });

  test('q matches a case-insensitive substring of the name or the id', async () => {
    assert.deepEqual((await ok(t.request('GET', 'devices?q=srv%20st'))).items.map((item: DeviceItem) => item.id), ['srv-stale']);
    assert.deepEqual((await ok(t.request('GET', 'devices?q=WS-NEW'))).items.map((item: DeviceItem) => item.id), ['ws-new']);
  });

  test("q matches the client's name too", async () => {
    const found = (await ok(t.request('GET', 'devices?q=fabrik&limit=500'))).items.map((item: DeviceItem) => item.id).sort();
    const fabrikams = (await ok(t.request('GET', 'devices?client=fabrikam&limit=500'))).items.map((item: DeviceItem) => item.id).sort();
    assert.ok(found.includes('srv-stale'));
    assert.deepEqual(found, fabrikams);
  });

  test('q treats % and _ as plain characters', async () => {
    const { items } = await ok(t.request('GET', `devices?q=${encodeURIComponent('100%_3')}`));
    assert.deepEqual(items.map((item: DeviceItem) => item.id), ['tie-3']);
    assert.equal((await ok(t.request('GET', 'devices?q=_'))).items.length, 9);
  });

  test('an unreadable cursor is a 400 problem', async () => {
    const response = await t.request('GET', 'devices?cursor=not-a-cursor');
    assert.equal(response.status, 400);
    assert.match(response.headers.get('content-type')!, /application\/problem\+json/);
    assert.match(response.json.detail, /cursor/);
  });

  test('a cursor made for another sort is a 400 problem', async () => {
    const { nextCursor } = await ok(t.request('GET', 'devices?sort=name&limit=2'));
    assert.equal((await t.request('GET', `devices?sort=score&limit=2&cursor=${nextCursor}`)).status, 400);
  });

  test('invalid parameters are a 422 naming each one', async () => {
    const response = await t.request('GET', 'devices?limit=501&sort=colour&order=up&status=fine&kind=laptop');
    assert.equal(response.status, 422);
    const paths = response.json.errors.map((error: { path: string }) => error.path.split('.')[0]).sort();
    assert.deepEqual(paths, ['kind', 'limit', 'order', 'sort', 'status']);
  });

  test('retired devices leave the list', async () => {
    await ok(t.request('DELETE', 'devices/tie-8'));
    const { items } = await ok(t.request('GET', 'devices?limit=500'));
    assert.ok(!items.some((item: DeviceItem) => item.id === 'tie-8'));
  });

  test('a client-scoped token lists only its client, whatever it asks for', async () => {
    const token = await embedToken(t, 'fabrikam');
    const own = await ok(t.request('GET', 'devices?limit=500', { token }));
    assert.ok(own.items.length > 0);
    assert.ok(own.items.every((item: DeviceItem) => item.client.id === 'fabrikam'));
    const other = await ok(t.request('GET', 'devices?client=contoso', { token }));
    assert.deepEqual(other.items, []);
  });

  test("items show their client's and policy's current names and interval at once after a change", async () => {
    await putClient(t, 'renamed-co', 'Old Name Ltd');
    await putPolicy(t, 'renamed-policy', 24);
    await putDevice(t, 'renamed-dev', { clientId: 'renamed-co', name: 'Renamed Dev', kind: 'server', policyId: 'renamed-policy' });
    await putClient(t, 'renamed-co', 'New Name Ltd');
    await ok(t.request('PUT', 'policies/renamed-policy', { body: { name: 'Twice a day', intervalHours: 12 } }));
    const { items } = await ok(t.request('GET', 'devices?client=renamed-co'));
    assert.deepEqual(items.map((item: DeviceItem) => [item.client, item.policy]), [[{ id: 'renamed-co', name: 'New Name Ltd' }, { id: 'renamed-policy', name: 'Twice a day', intervalHours: 12 }]]);
    const sorted = await ok(t.request('GET', 'devices?client=renamed-co&sort=client'));
    assert.equal(sorted.items[0].client.name, 'New Name Ltd');
  });
});

describe('GET /devices/:id', () => {
  let t: TestApp;
  let detail: DeviceDetail;
  before(async () => {
    t = await testApp();
    await seedFleet(t);
    await postEvents(t, [drTest('srv-failing', T0 - 48 * HOUR, 'passed'), storage('srv-failing', T0 - 30 * HOUR, 200), storage('srv-failing', T0 - 3 * HOUR, 300)]);
    detail = await ok(t.request('GET', 'devices/srv-failing'));
  });
  after(() => t.close());

  test('the detail is the list item plus enrolment', async () => {
    const { items } = await ok(t.request('GET', 'devices?q=srv-failing'));
    for (const [key, value] of Object.entries(items[0])) assert.deepEqual(detail[key as keyof DeviceDetail], value, key);
    assert.equal(detail.enrolledAt, new Date(T0 - 7 * 24 * HOUR).toISOString());
    assert.equal(detail.retiredAt, null);
  });

  test('components carry value, weight and points; reasons are sentences', async () => {
    assert.deepEqual(Object.keys(detail.components).sort(), ['drTest', 'recency', 'storage', 'successRate']);
    for (const component of Object.values(detail.components)) {
      assert.equal(typeof component.value, 'number');
      assert.equal(typeof component.weight, 'number');
      assert.equal(typeof component.points, 'number');
    }
    assert.ok(detail.reasons.length > 0);
    assert.ok(detail.reasons.some((reason) => /consecutive failures/.test(reason)));
  });

  test('the SLA state is evaluated with the rules in force', async () => {
    assert.deepEqual(detail.sla, { state: 'breach', maxHours: 12, breachSince: new Date(T0 - 26 * HOUR + 12 * HOUR).toISOString() });
  });

  test('jobs come newest first', async () => {
    assert.deepEqual(
      detail.jobs.map((item) => item.status),
      ['failed', 'failed', 'failed', 'success'],
    );
    assert.ok(detail.jobs.every((item, i, all) => i === 0 || all[i - 1]!.startedAt >= item.startedAt));
    assert.equal(detail.jobs[0]!.endedAt, new Date(T0 - 4 * HOUR).toISOString());
  });

  test('DR tests and storage history are included, storage oldest first', async () => {
    assert.deepEqual(detail.drTests.map((item) => item.result), ['passed']);
    assert.deepEqual(detail.storageHistory.map((item) => item.usedBytes), [200, 300]);
  });

  test('open alerts are the active alerts of the device', async () => {
    const types = detail.openAlerts.map((alert) => alert.type).sort();
    assert.ok(types.includes('backup_failed'));
    assert.ok(detail.openAlerts.every((alert) => alert.state !== 'resolved' && alert.device.id === 'srv-failing'));
  });

  test('a retired device still answers with its history', async () => {
    await ok(t.request('DELETE', 'devices/srv-stale'));
    const retired: DeviceDetail = await ok(t.request('GET', 'devices/srv-stale'));
    assert.equal(retired.retiredAt, new Date(T0).toISOString());
    assert.equal(retired.jobs.length, 1);
  });

  test('an unknown device is a 404 problem', async () => {
    const response = await t.request('GET', 'devices/nope');
    assert.equal(response.status, 404);
    assert.match(response.headers.get('content-type')!, /problem\+json/);
  });

  test("another client's device is a 404 for a client-scoped token", async () => {
    const token = await embedToken(t, 'fabrikam');
    assert.equal((await t.request('GET', 'devices/srv-failing', { token })).status, 404);
    assert.equal((await t.request('GET', 'devices/saas-ok', { token })).status, 200);
  });

  test("another tenant's device is a 404", async () => {
    const other = await ok(t.request('POST', 'tenants', { body: { name: 'Other MSP' }, token: t.deps.config.platformKey }), 201);
    assert.equal((await t.request('GET', 'devices/srv-failing', { token: other.adminKey })).status, 404);
  });

  test('jobs beyond the newest 50 are left out', async () => {
    const events = Array.from({ length: 55 }, (_, i) => job('saas-ok', 'success', T0 - 100 * HOUR + i * HOUR));
    await postEvents(t, events);
    const saas: DeviceDetail = await ok(t.request('GET', 'devices/saas-ok'));
    assert.equal(saas.jobs.length, 50);
    assert.equal(saas.jobs[0]!.endedAt, new Date(T0 - 2 * HOUR).toISOString());
  });
});
