import { expect, fixture, html } from '@open-wc/testing';
import type { DeviceItem } from '../../core/api.ts';
import { compareDevices, DeviceListLoader, matchesFilters } from '../../widgets/backup-health-table/device-list-loader.ts';
import type { ApiElement } from '../../widgets/shared/api-element.ts';
import { ApiClient } from '../../widgets/shared/api-client.ts';
import { filenameFrom } from '../../widgets/shared/compliance-download.ts';
import { AuthExpiredError, ProblemError } from '../../widgets/shared/api-errors.ts';
import { defineElement } from '../../widgets/shared/define.ts';
import { formatBytes, formatPercent, formatRelativeTime, safeHttpUrl } from '../../widgets/shared/format.ts';
import { RECONNECT_CAP_MS, reconnectDelay } from '../../widgets/shared/live-stream.ts';
import { SseParser } from '../../widgets/shared/sse-parser.ts';
import { renderStorage } from '../../widgets/shared/storage.ts';
import { testEnv, until } from './support.ts';

describe('SSE parsing', () => {
  it('parses events split at any point across chunks', () => {
    const stream = 'event: device.updated\r\ndata: {"id":"a"}\r\n\r\n: ping\n\nevent: alert.opened\ndata: {"id":"b"}\n\n';
    for (let cut = 1; cut < stream.length; cut++) {
      const parser = new SseParser();
      const messages = [...parser.push(stream.slice(0, cut)), ...parser.push(stream.slice(cut))];
      expect(messages.map((m) => [m.event, m.data]), `cut at ${cut}`).to.deep.equal([
        ['device.updated', '{"id":"a"}'],
        ['alert.opened', '{"id":"b"}'],
      ]);
    }
  });

  it('joins multi-line data, ignores comments and events without data, keeps the last id', () => {
    const parser = new SseParser();
    const messages = parser.push(': hello\n\nevent: x\n\nid: 7\ndata: one\ndata:two\n\nretry: 5000\ndata: three\n\n');
    expect(messages).to.deep.equal([
      { event: 'message', data: 'one\ntwo', id: '7' },
      { event: 'message', data: 'three', id: '7' },
    ]);
    expect(parser.retry).to.equal(5000);
  });

  it('treats a lone CR as a line end, even when it ends a chunk', () => {
    const parser = new SseParser();
    expect(parser.push('data: a\r')).to.deep.equal([]);
    expect(parser.push('\r')).to.deep.equal([{ event: 'message', data: 'a', id: null }]);
  });
});

describe('stream reconnection', () => {
  it('backs off exponentially from 1 s to a 30 s cap, with jitter', () => {
    expect(reconnectDelay(0, () => 0)).to.equal(500);
    expect(reconnectDelay(0, () => 1)).to.equal(1000);
    expect(reconnectDelay(3, () => 1)).to.equal(8000);
    expect(reconnectDelay(20, () => 1)).to.equal(RECONNECT_CAP_MS);
    expect(reconnectDelay(20, () => 0)).to.equal(RECONNECT_CAP_MS / 2);
  });

  it('reconnects after the connection drops and tells subscribers to resync', async () => {
    const originalFetch = window.fetch;
    const encoder = new TextEncoder();
    let calls = 0;
    window.fetch = async () => {
      calls += 1;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          if (calls > 1) controller.enqueue(encoder.encode('event: device.updated\ndata: {"id":"dev-x"}\n\n'));
          else controller.close(); // the first connection drops at once
        },
      });
      return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
    };
    try {
      const client = new ApiClient('', 'token');
      const seen: string[] = [];
      let reconnected = 0;
      const unsubscribe = client.stream.subscribe({ 'device.updated': (device) => seen.push(device.id), reconnected: () => (reconnected += 1) });
      await until(() => seen.length === 1, 'event after reconnect', 3_000);
      expect(reconnected).to.equal(1);
      expect(calls).to.equal(2);
      unsubscribe();
      expect(client.stream.connected).to.be.false;
    } finally {
      window.fetch = originalFetch;
    }
  });

  /**
   * Stubs fetch with an event stream: the first connection sends `first` and closes, every
   * later one sends `then` and stays open. Runs `work` with the requested URLs, then restores fetch.
   */
  async function withDroppedStream(first: string, then: string, work: (urls: string[]) => Promise<void>): Promise<void> {
    const originalFetch = window.fetch;
    const encoder = new TextEncoder();
    const urls: string[] = [];
    window.fetch = async (input) => {
      urls.push(String(input));
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(encoder.encode(urls.length === 1 ? first : then));
          if (urls.length === 1) controller.close();
        },
      });
      return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
    };
    try {
      await work(urls);
    } finally {
      window.fetch = originalFetch;
    }
  }

  it('resumes after the last event id instead of asking subscribers to reload', async () => {
    await withDroppedStream('id: 41\nevent: device.updated\ndata: {"id":"dev-a"}\n\n', 'id: 42\nevent: device.updated\ndata: {"id":"dev-b"}\n\n', async (urls) => {
      const client = new ApiClient('', 'token');
      const seen: string[] = [];
      let reconnected = 0;
      const unsubscribe = client.stream.subscribe({ 'device.updated': (device) => seen.push(device.id), reconnected: () => (reconnected += 1) });
      await until(() => seen.length === 2, 'events before and after the drop', 3_000);
      unsubscribe();
      expect(seen).to.deep.equal(['dev-a', 'dev-b']);
      expect(new URL(urls[1]!, location.href).searchParams.get('lastEventId')).to.equal('41');
      expect(reconnected).to.equal(0);
    });
  });

  it('a reset event makes subscribers reload and resumes after its id', async () => {
    await withDroppedStream(': connected\n\nid: 5000\nevent: reset\ndata: {"reason":"behind"}\n\n', ': connected\n\nid: 5001\nevent: device.updated\ndata: {"id":"dev-c"}\n\n', async (urls) => {
      const client = new ApiClient('', 'token');
      const seen: string[] = [];
      let reloads = 0;
      const unsubscribe = client.stream.subscribe({ 'device.updated': (device) => seen.push(device.id), reconnected: () => (reloads += 1) });
      await until(() => seen.length === 1, 'the event after the reset', 3_000);
      unsubscribe();
      expect(reloads).to.equal(1);
      expect(new URL(urls[1]!, location.href).searchParams.get('lastEventId')).to.equal('5000');
    });
  });

  it('keeps backing off when every connection drops right after ": connected"', async () => {
    const originalFetch = window.fetch;
    const encoder = new TextEncoder();
    let calls = 0;
    window.fetch = async () => {
      calls += 1;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(encoder.encode(': connected\n\n'));
          controller.close();
        },
      });
      return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
    };
    try {
      const client = new ApiClient('', 'token');
      const unsubscribe = client.stream.subscribe({});
      // Delays of 0.5–1 s, 1–2 s, 2–4 s: by 3.4 s at most three connections (a reset backoff makes four or more).
      await new Promise((resolve) => setTimeout(resolve, 3_400));
      unsubscribe();
      expect(calls).to.be.within(2, 3);
    } finally {
      window.fetch = originalFetch;
    }
  });

  it('stops on 401 and reconnects once the token changes', async () => {
    const env = await testEnv();
    const client = new ApiClient(env.apiBase, env.tokens.expired);
    let expired = 0;
    const events: string[] = [];
    const unsubscribe = client.stream.subscribe({ authExpired: () => (expired += 1), 'device.updated': (device) => events.push(device.id) });
    try {
      await until(() => expired === 1, 'auth expiry reported');
      expect(client.stream.connected).to.be.false;
      client.token = env.tokens.read;
      await until(() => client.stream.connected, 'reconnected with the new token');
    } finally {
      unsubscribe();
    }
  });
});

describe('ApiClient', () => {
  it('answers typed data with the bearer token', async () => {
    const env = await testEnv();
    const me = await new ApiClient(env.apiBase, env.tokens.read).me();
    expect(me.scopes).to.include('read');
    expect(me.tenant.id).to.be.a('string');
  });

  it('throws AuthExpiredError with the problem for a 401', async () => {
    const env = await testEnv();
    const error = await new ApiClient(env.apiBase, env.tokens.expired).me().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(AuthExpiredError);
    expect((error as AuthExpiredError).status).to.equal(401);
    expect((error as AuthExpiredError).problem.title).to.be.a('string').and.not.empty;
  });

  it('throws ProblemError with the title and detail for other failures', async () => {
    const env = await testEnv();
    const error = await new ApiClient(env.apiBase, env.tokens.read).device('no-such-device').catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ProblemError).and.not.instanceOf(AuthExpiredError);
    expect((error as ProblemError).status).to.equal(404);
  });

  it('describes an unreachable server as a problem a person can act on', async () => {
    const error = await new ApiClient('http://127.0.0.1:9', 'token').me().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ProblemError);
    expect((error as ProblemError).status).to.equal(0);
    expect((error as ProblemError).problem.title).to.contain('could not be reached');
  });

  it('builds URLs under /api/v1 and leaves out empty query values', () => {
    const client = new ApiClient('https://bff.example.com/', 't');
    expect(client.url('/devices', { status: 'critical', q: '', cursor: null, limit: 200 })).to.equal('https://bff.example.com/api/v1/devices?status=critical&limit=200');
  });

  it('reads file names from Content-Disposition', () => {
    expect(filenameFrom('attachment; filename="report.csv"')).to.equal('report.csv');
    expect(filenameFrom("attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf")).to.equal('résumé.pdf');
    expect(filenameFrom(null)).to.equal(null);
  });
});

describe('formatting and helpers', () => {
  it('formats bytes in decimal units and percentages in the viewer locale', () => {
    expect(formatBytes(null)).to.equal('—');
    expect(formatBytes(3, '—', 'en')).to.equal('3 bytes');
    expect(formatBytes(1, '—', 'en')).to.equal('1 byte');
    expect(formatBytes(1_500_000_000)).to.equal(new Intl.NumberFormat(undefined, { style: 'unit', unit: 'gigabyte', unitDisplay: 'short', maximumFractionDigits: 1 }).format(1.5));
    expect(formatPercent(null)).to.equal('—');
    expect(formatPercent(98.5)).to.equal(new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 }).format(0.985));
  });

  it('formats relative times with Intl.RelativeTimeFormat', () => {
    const now = Date.UTC(2026, 10, 24, 12);
    const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
    expect(formatRelativeTime(new Date(now - 3 * 3_600_000).toISOString(), now)).to.equal(rtf.format(-3, 'hour'));
    expect(formatRelativeTime(new Date(now - 4 * 86_400_000).toISOString(), now)).to.equal(rtf.format(-4, 'day'));
    expect(formatRelativeTime(null, now)).to.equal('Never');
  });

  it('renders only http(s) links from data', () => {
    expect(safeHttpUrl('https://rmm.example.com/jobs/1')).to.equal('https://rmm.example.com/jobs/1');
    expect(safeHttpUrl('javascript:alert(1)')).to.equal(null);
  });

  it('defines a tag once and tolerates a second registration', () => {
    class First extends HTMLElement {}
    class Second extends HTMLElement {}
    defineElement('bh-test-twice', First);
    expect(() => defineElement('bh-test-twice', Second)).not.to.throw();
    expect(customElements.get('bh-test-twice')).to.equal(First);
  });
});

describe('live device updates', () => {
  const device = (overrides: Partial<DeviceItem>): DeviceItem => ({
    id: 'd',
    name: 'Alpha',
    kind: 'server',
    client: { id: 'c1', name: 'Acme' },
    policy: { id: 'p', name: 'Hourly', intervalHours: 1 },
    status: 'healthy',
    score: 95,
    lastSuccessAt: null,
    lastJobStatus: null,
    consecutiveFailures: 0,
    storage: { usedBytes: null, quotaBytes: null },
    maintenance: null,
    ...overrides,
  });

  it('match the view filters, the search included', () => {
    const view = { client: 'c1', status: 'healthy' as const, q: 'alp', sort: 'score' as const, order: 'asc' as const };
    expect(matchesFilters(device({}), view)).to.be.true;
    expect(matchesFilters(device({ status: 'critical' }), view)).to.be.false;
    expect(matchesFilters(device({ name: 'Beta' }), view)).to.be.false;
    expect(matchesFilters(device({ id: 'ALPHA-7', name: 'Beta' }), view)).to.be.true;
    expect(matchesFilters(device({ name: 'Beta' }), { ...view, q: 'acm' }), 'the client name').to.be.true;
  });

  it('keep a worst-first list sorted when a score changes, and drop rows that leave the view', async () => {
    const rows = [device({ id: 'a', status: 'critical', score: 50 }), device({ id: 'b', status: 'critical', score: 56 }), device({ id: 'c', status: 'warning', score: 80 })];
    // The loader's host and API, reduced to what it calls: the ordering is under test here.
    const host = { addController() {}, requestUpdate() {}, handleError() {} } as unknown as ApiElement;
    const api = { listDevices: async () => ({ items: rows, nextCursor: null }) } as unknown as ApiClient;
    const loader = new DeviceListLoader(host, () => 200);
    await loader.load(api, { sort: 'score', order: 'asc' });

    expect(loader.applyUpdate(device({ id: 'a', status: 'warning', score: 85 }))).to.equal(2);
    expect(loader.rows.map((row) => `${row.id}:${row.score}`)).to.deep.equal(['b:56', 'c:80', 'a:85']);
    expect(loader.applyUpdate(device({ id: 'c', status: 'critical', score: 40 }))).to.equal(0);
    expect(loader.rows.map((row) => row.id)).to.deep.equal(['c', 'b', 'a']);
    expect(loader.applyUpdate(device({ id: 'n', score: 60 }))).to.equal(2);
    expect(loader.rows.map((row) => row.id)).to.deep.equal(['c', 'b', 'n', 'a']);

    await loader.load(api, { status: 'critical', sort: 'score', order: 'asc' });
    expect(loader.applyUpdate(device({ id: 'b', status: 'warning', score: 85 }))).to.equal(-1);
    expect(loader.rows.map((row) => row.id)).to.not.include('b');
  });

  it('order as the API does: by the sort key, then by id', () => {
    const a = device({ id: 'a', name: 'A', score: 50 });
    const b = device({ id: 'b', name: 'B', score: 90 });
    expect(compareDevices(a, b, 'score', 'asc')).to.be.lessThan(0);
    expect(compareDevices(a, b, 'score', 'desc')).to.be.greaterThan(0);
    expect(compareDevices(device({ lastSuccessAt: null }), device({ lastSuccessAt: '2026-11-24T10:00:00Z' }), 'lastSuccessAt', 'asc')).to.be.lessThan(0);
    expect(compareDevices(device({ status: 'critical' }), device({ status: 'healthy' }), 'status', 'asc')).to.be.lessThan(0);
    expect(compareDevices(device({ id: 'a', score: 70 }), device({ id: 'b', score: 70 }), 'score', 'desc')).to.be.greaterThan(0);
  });
});

describe('storage', () => {
  const rendered = async (usedBytes: number) => fixture<HTMLElement>(html`<div>${renderStorage({ usedBytes, quotaBytes: 1000 }, { compact: true })}</div>`);

  it('says "near full" exactly where the storage alert fires: above 95 % of the quota', async () => {
    expect((await rendered(951)).textContent).to.contain('near full');
    expect((await rendered(950)).textContent).not.to.contain('near full');
  });

  it('takes the warning tone above 80 %, where the storage score starts to drop', async () => {
    expect((await rendered(800)).querySelector('.storage-bar')!.getAttribute('data-tone')).to.equal('healthy');
    expect((await rendered(801)).querySelector('.storage-bar')!.getAttribute('data-tone')).to.equal('warning');
    expect((await rendered(951)).querySelector('.storage-bar')!.getAttribute('data-tone')).to.equal('critical');
  });
});
