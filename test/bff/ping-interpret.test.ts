/**
 * The pure side of ping URLs: what a URL suffix, query and body mean, without HTTP
 * or a database. Restic and Duplicati bodies are the tools' documented shapes.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readPingBody, type PingBody } from '../../bff/inbound/ping/body-reader.ts';
import { readBodyFacts } from '../../bff/inbound/ping/body-report.ts';
import { parseTimeSpan, readDuplicatiReport } from '../../bff/inbound/ping/duplicati-report.ts';
import { interpretPing } from '../../bff/inbound/ping/interpret.ts';
import { KeyRateLimiter } from '../../bff/inbound/ping/rate-limit.ts';
import { findResticSummary } from '../../bff/inbound/ping/restic-summary.ts';
import { isRefusal, readPingRequest, type PingRequest } from '../../bff/inbound/ping/signal.ts';

const NOW = Date.UTC(2026, 10, 24, 22, 30, 0);
const RID = '7d5c3e2a-1b4f-4c6d-9e8f-0a1b2c3d4e5f';
const text = (head: string): PingBody => ({ head, tail: '', truncated: false, size: Buffer.byteLength(head) });
const request = (suffix?: string, query: { rid?: string; create?: string } = {}) => {
  const read = readPingRequest(suffix, query);
  assert.ok(!isRefusal(read), JSON.stringify(read));
  return read as PingRequest;
};

// restic 0.14 as run on Debian 12: status lines, then the summary.
const RESTIC_SUMMARY = '{"message_type":"summary","files_new":1,"files_changed":0,"files_unmodified":0,"dirs_new":1,"dirs_changed":0,"dirs_unmodified":0,"data_blobs":1,"tree_blobs":2,"data_added":712,"total_files_processed":1,"total_bytes_processed":6,"total_duration":0.2256,"snapshot_id":"fdb0d8cb"}';
const RESTIC_OUTPUT = [
  '{"message_type":"status","percent_done":0,"total_files":1,"total_bytes":6}',
  '{"message_type":"status","percent_done":1,"total_files":1,"files_done":1,"total_bytes":6,"bytes_done":6}',
  RESTIC_SUMMARY,
].join('\n');

const duplicati = (result: string, extra: Record<string, unknown> = {}) => ({
  Data: {
    ParsedResult: result,
    MainOperation: 'Backup',
    BeginTime: '2026-11-24T22:00:00.1234567Z',
    EndTime: '2026-11-24T22:05:30.0000000Z',
    Duration: '00:05:29.8765433',
    SizeOfExaminedFiles: 52_428_800,
    SizeOfAddedFiles: 1_048_576,
    Messages: [],
    Warnings: result === 'Warning' ? ['File C:\\Users\\ann\\locked.pst is in use'] : [],
    Errors: result === 'Error' ? ['Failed to connect to the backend: 403 Forbidden'] : [],
    ...extra,
  },
  Extra: { OperationName: 'Backup', 'machine-name': 'WS-ANN', 'backup-name': 'Documents', 'backup-id': 'DB-1' },
});

describe('ping URL suffix and query', () => {
  test('no suffix is a success, start/fail/log are their signals', () => {
    assert.deepEqual(request().signal, { kind: 'success' });
    assert.deepEqual(request('start').signal, { kind: 'start' });
    assert.deepEqual(request('fail').signal, { kind: 'fail' });
    assert.deepEqual(request('log').signal, { kind: 'log' });
  });

  test('an exit status 0–255 is a signal, above 255 is a 400', () => {
    assert.deepEqual(request('0').signal, { kind: 'exit', exitStatus: 0 });
    assert.deepEqual(request('255').signal, { kind: 'exit', exitStatus: 255 });
    assert.deepEqual(readPingRequest('256', {}), { status: 400, text: 'invalid exit status: use 0 to 255' });
  });

  test('an unknown suffix is not found', () => {
    assert.equal((readPingRequest('finish', {}) as { status: number }).status, 404);
    assert.equal((readPingRequest('-1', {}) as { status: number }).status, 404);
  });

  test('rid must be a UUID and is lowercased', () => {
    assert.equal(request('start', { rid: RID.toUpperCase() }).runId, RID);
    assert.equal((readPingRequest('start', { rid: 'run-1' }) as { status: number }).status, 400);
  });

  test('?create=1 asks for creation', () => {
    assert.equal(request(undefined, { create: '1' }).create, true);
    assert.equal(request().create, false);
  });
});

describe('restic summaries', () => {
  test('the summary is found after the status lines', () => {
    const summary = findResticSummary(RESTIC_OUTPUT)!;
    assert.equal(summary.snapshotId, 'fdb0d8cb');
    assert.equal(summary.totalBytesProcessed, 6);
    assert.equal(summary.dataAdded, 712);
    assert.equal(summary.totalDuration, 0.2256);
  });

  test('output without a summary (restic failed early) has none', () => {
    assert.equal(findResticSummary('{"message_type":"status","percent_done":0}\nFatal: unable to open repository'), null);
    assert.equal(findResticSummary('{"message_type":"summary",'), null);
  });

  test('restic 0.17 start and end times are read', () => {
    const summary = findResticSummary('{"message_type":"summary","backup_start":"2026-11-24T22:00:00+01:00","backup_end":"2026-11-24T22:01:00+01:00","total_bytes_processed":10}')!;
    assert.equal(summary.backupStart, Date.UTC(2026, 10, 24, 21, 0, 0));
    assert.equal(summary.backupEnd, Date.UTC(2026, 10, 24, 21, 1, 0));
  });
});

describe('Duplicati reports', () => {
  test('ParsedResult Success/Warning/Error/Fatal map to success/warning/failed', () => {
    assert.equal(readDuplicatiReport(duplicati('Success'))!.status, 'success');
    assert.equal(readDuplicatiReport(duplicati('Warning'))!.status, 'warning');
    assert.equal(readDuplicatiReport(duplicati('Error'))!.status, 'failed');
    assert.equal(readDuplicatiReport(duplicati('Fatal'))!.status, 'failed');
  });

  test('times, examined size and backup name are read', () => {
    const report = readDuplicatiReport(duplicati('Success'))!;
    assert.equal(report.beganAt, Date.UTC(2026, 10, 24, 22, 0, 0, 123));
    assert.equal(report.endedAt, Date.UTC(2026, 10, 24, 22, 5, 30));
    assert.equal(report.bytes, 52_428_800);
    assert.equal(report.backupName, 'Documents');
  });

  test('a TimeSpan with days and fractions is read', () => {
    assert.equal(parseTimeSpan('00:05:29.8765433'), 329_877);
    assert.equal(parseTimeSpan('1.02:00:00'), 26 * 3_600_000);
    assert.equal(parseTimeSpan('5 minutes'), null);
  });

  test('JSON that is no Duplicati report is not one', () => {
    assert.equal(readDuplicatiReport({ Data: { ParsedResult: 'Maybe' } }), null);
    assert.equal(readDuplicatiReport({ status: 'ok' }), null);
  });
});

describe('ping bodies', () => {
  test('plain text is the log', () => {
    const facts = readBodyFacts(text('/repo: Error running actions for repository\n'), 'text/plain');
    assert.deepEqual([facts.source, facts.status, facts.message], ['text', null, '/repo: Error running actions for repository\n']);
  });

  test('an empty body says nothing', () => {
    assert.equal(readBodyFacts(text('  \n'), '').source, 'none');
  });

  test('restic output sets success and the bytes processed, whatever the Content-Type', () => {
    const facts = readBodyFacts(text(RESTIC_OUTPUT), 'application/x-www-form-urlencoded');
    assert.deepEqual([facts.source, facts.status, facts.bytes, facts.durationMs], ['restic', 'success', 6, 226]);
    assert.match(facts.message!, /snapshot fdb0d8cb/);
  });

  test('a restic summary beyond the kept head is read from the tail', () => {
    const facts = readBodyFacts({ head: RESTIC_OUTPUT.slice(0, 60), tail: RESTIC_SUMMARY, truncated: true, size: 1_000_000 }, '');
    assert.equal(facts.source, 'restic');
  });

  test('a Duplicati report as JSON or as its default form field sets status, times and bytes', () => {
    const json = JSON.stringify(duplicati('Warning'));
    for (const [body, type] of [[json, 'application/json'], [new URLSearchParams({ message: json }).toString(), 'application/x-www-form-urlencoded']]) {
      const facts = readBodyFacts(text(body!), type!);
      assert.deepEqual([facts.source, facts.status, facts.bytes], ['duplicati', 'warning', 52_428_800]);
      assert.match(facts.message!, /Duplicati Backup "Documents": Warning\nWarning: File .*locked\.pst is in use/);
    }
  });

  test('other JSON is kept as text', () => {
    const facts = readBodyFacts(text('{"hello":"world"}'), 'application/json');
    assert.deepEqual([facts.source, facts.message], ['text', '{"hello":"world"}']);
  });

  test('a truncated text body says so in its log', () => {
    const facts = readBodyFacts({ head: 'abc', tail: 'xyz', truncated: true, size: 200_000 }, 'text/plain');
    assert.match(facts.message!, /^abc\n… \(truncated: the body had 200000 bytes\)$/);
  });
});

describe('ping actions', () => {
  const none = readBodyFacts(text(''), '');

  test('a success without body ends a job now', () => {
    assert.deepEqual(interpretPing(request(), none, NOW), { kind: 'end', runId: null, status: 'success', endedAt: NOW, startedAt: null, bytes: null, message: null });
  });

  test('/fail and a non-zero exit status fail the job, whatever the body says', () => {
    const restic = readBodyFacts(text(RESTIC_OUTPUT), '');
    assert.equal((interpretPing(request('fail'), restic, NOW) as { status: string }).status, 'failed');
    const exited = interpretPing(request('3'), restic, NOW) as { status: string; message: string };
    assert.equal(exited.status, 'failed');
    assert.match(exited.message, /^Exit status 3\.\nrestic snapshot/);
    assert.equal((interpretPing(request('0'), restic, NOW) as { status: string }).status, 'success');
  });

  test('a success URL takes the status of a Duplicati report', () => {
    const facts = readBodyFacts(text(JSON.stringify(duplicati('Error'))), 'application/json');
    assert.equal((interpretPing(request(), facts, NOW) as { status: string }).status, 'failed');
  });

  test('a body duration sets the start, ending now', () => {
    const facts = readBodyFacts(text(RESTIC_OUTPUT), '');
    const action = interpretPing(request(), facts, NOW) as { startedAt: number; endedAt: number };
    assert.deepEqual([action.startedAt, action.endedAt], [NOW - 226, NOW]);
  });

  test('body times in the future are replaced by now', () => {
    const facts = readBodyFacts(text(JSON.stringify(duplicati('Success', { BeginTime: '2030-01-01T00:00:00Z', EndTime: '2030-01-01T01:00:00Z' }))), 'application/json');
    const action = interpretPing(request(), facts, NOW) as { startedAt: number; endedAt: number };
    assert.deepEqual([action.startedAt, action.endedAt], [NOW, NOW]);
  });

  test('start and log carry the run id and the body as message', () => {
    assert.deepEqual(interpretPing(request('start', { rid: RID }), none, NOW), { kind: 'start', runId: RID, at: NOW, message: null });
    assert.deepEqual(interpretPing(request('log'), readBodyFacts(text('50 % done'), ''), NOW), { kind: 'log', runId: null, at: NOW, message: '50 % done' });
  });

  test('an end never ends after now nor starts after it ends, whatever the body (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.constantFrom(undefined, 'fail', '0', '1', '255'), (body, suffix) => {
        const action = interpretPing(request(suffix), readBodyFacts(text(body), 'application/json'), NOW);
        assert.equal(action.kind, 'end');
        if (action.kind === 'end') {
          assert.ok(action.endedAt <= NOW);
          assert.ok(action.startedAt === null || action.startedAt <= action.endedAt);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('reading a ping body', () => {
  const stream = (...chunks: Uint8Array[]) => new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  const limits = { keepBytes: 10, tailBytes: 6, maxBytes: 1_000 };

  test('a body within the limit is kept whole', async () => {
    assert.deepEqual(await readPingBody(stream(Buffer.from('hello')), limits), { head: 'hello', tail: '', truncated: false, size: 5 });
  });

  test('a longer body keeps its head and its tail, over chunk boundaries', async () => {
    const body = await readPingBody(stream(Buffer.from('0123456'), Buffer.from('789abcdefgh'), Buffer.from('ijklmn')), limits);
    assert.deepEqual(body, { head: '0123456789', tail: 'ijklmn', truncated: true, size: 24 });
  });

  test('a cut never splits a UTF-8 character', async () => {
    const body = (await readPingBody(stream(Buffer.from('ééééééé')), limits)) as PingBody;
    assert.equal(body.head, 'ééééé');
    assert.equal(body.tail, 'éé');
  });

  test('a body above the hard limit is refused', async () => {
    assert.equal(await readPingBody(stream(new Uint8Array(600), new Uint8Array(600)), limits), 'too-large');
  });

  test('head and tail are always the start and end of the body (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 8 }), async (chunks) => {
        const ascii = chunks.map((chunk) => chunk.map((byte) => 32 + (byte % 90)));
        const whole = Buffer.concat(ascii).toString();
        const body = (await readPingBody(stream(...ascii), { keepBytes: 25, tailBytes: 12, maxBytes: 10_000 })) as PingBody;
        assert.equal(body.head, whole.slice(0, 25));
        assert.equal(body.tail, whole.length > 25 ? whole.slice(Math.max(25, whole.length - 12)) : '');
        assert.equal(body.truncated, whole.length > 25);
      }),
      { numRuns: 300 },
    );
  });
});

describe('per-key rate limit', () => {
  test('a key may burst, then waits for its rate; other keys are not affected', () => {
    let now = NOW;
    const limiter = new KeyRateLimiter(() => now, { perSecond: 2, burst: 3, maxKeys: 100 });
    assert.deepEqual([limiter.take('a'), limiter.take('a'), limiter.take('a')], [0, 0, 0]);
    assert.equal(limiter.take('a'), 1);
    assert.equal(limiter.take('b'), 0);
    now += 500;
    assert.equal(limiter.take('a'), 0);
  });

  test('a clock that steps back does not drain a bucket', () => {
    let now = NOW;
    const limiter = new KeyRateLimiter(() => now, { perSecond: 1, burst: 2, maxKeys: 100 });
    limiter.take('a');
    now -= 3_600_000;
    assert.equal(limiter.take('a'), 0);
  });

  test('the least recently used key is forgotten beyond maxKeys', () => {
    const limiter = new KeyRateLimiter(() => NOW, { perSecond: 1, burst: 1, maxKeys: 2 });
    limiter.take('a');
    limiter.take('b');
    limiter.take('c');
    assert.equal(limiter.take('a'), 0, 'a was forgotten, so it starts with a full bucket');
    assert.ok(limiter.take('c') > 0);
  });
});
