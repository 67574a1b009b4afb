/**
 * The settings caches expire by the injected clock: a stepped clock, not wall time,
 * decides when another instance's write becomes visible.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../bff/db/client.ts';
import { migrate } from '../../bff/db/migrate.ts';
import { IntegrationSettings } from '../../bff/services/outbox/integration-settings.ts';
import { SettingsStore } from '../../bff/services/settings-store.ts';
import { TtlCache } from '../../bff/services/ttl-cache.ts';
import { T0, testClock } from './harness.ts';

async function sharedDatabase() {
  const db = openDatabase({ url: ':memory:' });
  await migrate(db);
  return db;
}

describe('TtlCache', () => {
  test('with maxEntries it holds at most that many, dropping the least recently used', () => {
    const cache = new TtlCache<number>(testClock(), 60_000, 3);
    for (const key of ['a', 'b', 'c']) cache.set(key, 1);
    cache.get('a');
    cache.set('d', 1);
    assert.equal(cache.size, 3);
    assert.equal(cache.get('b'), undefined, 'b was used least recently');
    assert.equal(cache.get('a'), 1);
    for (let i = 0; i < 1_000; i++) cache.set(`k${i}`, i);
    assert.equal(cache.size, 3);
  });

  test('an entry is served until ttlMs after it was stored, by the clock', () => {
    const clock = testClock();
    const cache = new TtlCache<string>(clock, 1_000);
    cache.set('k', 'v');
    clock.advance(999);
    assert.equal(cache.get('k'), 'v');
    clock.advance(1);
    assert.equal(cache.get('k'), undefined);
  });

  test('storing again restarts the entry’s lifetime', () => {
    const clock = testClock();
    const cache = new TtlCache<number>(clock, 1_000);
    cache.set('k', 1);
    clock.advance(800);
    cache.set('k', 2);
    clock.advance(800);
    assert.equal(cache.get('k'), 2);
  });

  test('delete forgets an entry at once', () => {
    const cache = new TtlCache<number>(testClock(), 1_000);
    cache.set('k', 1);
    cache.delete('k');
    assert.equal(cache.get('k'), undefined);
  });

  test('wall time does not expire an entry while the clock stands still', async () => {
    const cache = new TtlCache<number>(testClock(), 1);
    cache.set('k', 1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(cache.get('k'), 1);
  });
});

describe('settings caches take the injected clock', () => {
  test('another instance’s settings write is seen once the ttl has passed on the clock', async () => {
    const db = await sharedDatabase();
    const clock = testClock();
    const reader = new SettingsStore(db, clock, 5_000);
    const writer = new SettingsStore(db, clock, 5_000);
    assert.equal((await reader.get('t1', 'reports')).deliveryTime, '08:00');
    await writer.update('t1', 'reports', { deliveryTime: '09:30' }, T0);
    clock.advance(4_999);
    assert.equal((await reader.get('t1', 'reports')).deliveryTime, '08:00');
    clock.advance(1);
    assert.equal((await reader.get('t1', 'reports')).deliveryTime, '09:30');
    await db.close();
  });

  test('a write through the store is seen by the same store at once', async () => {
    const db = await sharedDatabase();
    const store = new SettingsStore(db, testClock(), 5_000);
    await store.get('t1', 'reports');
    await store.update('t1', 'reports', { recipients: ['noc@msp.example'] }, T0);
    assert.deepEqual((await store.get('t1', 'reports')).recipients, ['noc@msp.example']);
    await db.close();
  });

  test('a read inside a transaction is never served from the cache', async () => {
    const db = await sharedDatabase();
    const clock = testClock();
    const reader = new SettingsStore(db, clock, 5_000);
    await reader.get('t1', 'psa');
    await new SettingsStore(db, clock).update('t1', 'psa', { failureThreshold: 5 }, T0);
    assert.equal(await db.transaction(async (tx) => (await reader.get('t1', 'psa', tx)).failureThreshold), 5);
    await db.close();
  });

  /** A store and the evaluation listeners' cache over one database; `threshold()` reads the PSA failure threshold as a sweep does. */
  async function integrationsOverOneDatabase() {
    const db = await sharedDatabase();
    const clock = testClock();
    const store = new SettingsStore(db, clock, 5_000);
    const integrations = new IntegrationSettings(store, clock, 5_000);
    const threshold = () => db.transaction(async (tx) => (await integrations.get('t1', 'psa', tx)).failureThreshold);
    return { db, clock, store, integrations, threshold };
  }

  test('the integration settings of a sweep are re-read once the ttl has passed on the clock', async () => {
    const { db, clock, threshold } = await integrationsOverOneDatabase();
    assert.equal(await threshold(), 3);
    await new SettingsStore(db, clock).update('t1', 'psa', { failureThreshold: 7 }, T0);
    clock.advance(4_999);
    assert.equal(await threshold(), 3);
    clock.advance(1);
    assert.equal(await threshold(), 7);
    await db.close();
  });

  test('forget drops a tenant’s integration settings at once', async () => {
    const { db, store, integrations, threshold } = await integrationsOverOneDatabase();
    assert.equal(await threshold(), 3);
    await store.update('t1', 'psa', { failureThreshold: 4 }, T0);
    integrations.forget('t1');
    assert.equal(await threshold(), 4);
    await db.close();
  });
});
