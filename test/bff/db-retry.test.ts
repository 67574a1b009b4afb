/**
 * What the remote database path retries: only answers that mean "nothing was
 * executed", a bounded number of times. (The same rules against a real sqld under
 * overload: test/scale/remote-overload.test.ts.)
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isRefusedRequest, RETRY_ATTEMPTS, retrying } from '../../bff/db/retry.ts';

const refused = () => Object.assign(new Error('SERVER_ERROR: Server returned HTTP status 429'), { code: 'SERVER_ERROR' });
const busy = () => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });

/** An operation that fails with `failures` in turn, then answers 'done'; counts its calls. */
function flaky(failures: (() => Error)[]) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    run: async () => {
      const failure = failures[calls++];
      if (failure) throw failure();
      return 'done';
    },
  };
}

describe('remote retries', () => {
  test('a refused request (HTTP 429) and a busy answer are tried again until one succeeds', async () => {
    const operation = flaky([refused, busy]);
    assert.equal(await retrying(operation.run), 'done');
    assert.equal(operation.calls, 3);
  });

  test('an error after which the statement may have run is thrown at once, never retried', async () => {
    for (const error of [
      () => Object.assign(new Error('This operation was aborted'), { name: 'TimeoutError' }),
      () => Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNRESET' } }),
      () => Object.assign(new Error('SERVER_ERROR: Server returned HTTP status 500'), { code: 'SERVER_ERROR' }),
      () => Object.assign(new Error('UNIQUE constraint failed'), { code: 'SQLITE_CONSTRAINT' }),
    ]) {
      const operation = flaky([error]);
      await assert.rejects(retrying(operation.run));
      assert.equal(operation.calls, 1);
    }
  });

  test('a script is retried only when the whole request was refused, not on a busy answer', async () => {
    const refusedScript = flaky([refused]);
    assert.equal(await retrying(refusedScript.run, isRefusedRequest), 'done');
    assert.equal(refusedScript.calls, 2);
    const busyScript = flaky([busy]);
    await assert.rejects(retrying(busyScript.run, isRefusedRequest), /locked/);
    assert.equal(busyScript.calls, 1);
  });

  test(`a server that keeps refusing is given up after ${RETRY_ATTEMPTS} attempts with its last answer`, async () => {
    const operation = flaky(Array.from({ length: RETRY_ATTEMPTS + 5 }, () => refused));
    await assert.rejects(retrying(operation.run), /HTTP status 429/);
    assert.equal(operation.calls, RETRY_ATTEMPTS);
  });
});
