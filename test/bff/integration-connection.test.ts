/**
 * One connection rule for the PSA and On-Call deliveries: an item is delivered with the
 * settings as they are when it goes out, and fails with the reason kept on it while the
 * integration is off, lacks its address or key, or points at an address not allowed.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { integrationConnection } from '../../bff/services/outbox/connection.ts';

const context = { now: 0, timeoutMs: 1_500 };
const ready = { enabled: true, baseUrl: 'http://127.0.0.1:9/psa', integrationKey: 'key-0123456789' };

describe('integrationConnection', () => {
  test('a disabled integration fails the item, naming the integration and what it was about to do', async () => {
    assert.deepEqual(await integrationConnection({ ...ready, enabled: false }, 'any', context, { integration: 'On-Call', pending: 'this page could be sent' }), {
      kind: 'failed',
      error: 'The On-Call integration was disabled before this page could be sent; enable it again to send.',
    });
    assert.deepEqual(await integrationConnection({ ...ready, enabled: false }, 'any', context, { integration: 'PSA', pending: 'this could be delivered' }), {
      kind: 'failed',
      error: 'The PSA integration was disabled before this could be delivered; enable it again to send.',
    });
  });

  test('without a base URL or key the item fails and says where to set them', async () => {
    for (const settings of [{ ...ready, baseUrl: '' }, { ...ready, integrationKey: '' }]) {
      assert.deepEqual(await integrationConnection(settings, 'any', context, { integration: 'PSA', pending: 'this could be delivered' }), {
        kind: 'failed',
        error: 'The PSA integration has no base URL or integration key; set both in the PSA settings.',
      });
    }
  });

  test('an address the networks setting refuses fails the item with the refusal', async () => {
    const outcome = await integrationConnection(ready, 'public', context, { integration: 'PSA', pending: 'this could be delivered' });
    assert.equal('kind' in outcome && outcome.kind, 'failed');
  });

  test('otherwise the connection carries the address, key, time limit and networks', async () => {
    assert.deepEqual(await integrationConnection(ready, 'any', context, { integration: 'On-Call', pending: 'this page could be sent' }), {
      baseUrl: ready.baseUrl,
      integrationKey: ready.integrationKey,
      timeoutMs: 1_500,
      networks: 'any',
    });
  });
});
