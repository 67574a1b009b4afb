import { Worker } from 'node:worker_threads';

/**
 * Measuring tools for the load-attack tests: a /healthz prober (on its own thread) that samples
 * latency while an attack runs (a request that does not answer within its timeout counts as
 * the timeout), percentiles, open SSE streams read event by event, and a fixed-
 * concurrency request loop.
 */

/** The p-th percentile (0–100) of `values` (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

// Plain JavaScript for an eval worker: the prober has its own event loop, so the test's
// own work (reading fifty streams) never delays a sample.
const PROBE_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { url, everyMs, timeoutMs } = workerData;
const latencies = [];
let running = true;
parentPort.on('message', () => (running = false));
(async () => {
  // The first request pays for the connection and the fetch machinery: not a sample.
  await fetch(url + '/healthz').then((response) => response.arrayBuffer(), () => undefined);
  while (running) {
    const started = performance.now();
    try {
      const response = await fetch(url + '/healthz', { signal: AbortSignal.timeout(timeoutMs) });
      await response.arrayBuffer();
      latencies.push(performance.now() - started);
    } catch {
      latencies.push(timeoutMs);
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  parentPort.postMessage(latencies);
})();
`;

/**
 * Samples `GET /healthz` every `everyMs` from a worker thread until `stop()`; answers
 * the latencies (ms). A request without an answer within `timeoutMs` counts as that.
 */
export function probeHealth(url: string, everyMs = 10, timeoutMs = 5_000): { stop(): Promise<number[]> } {
  const worker = new Worker(PROBE_SOURCE, { eval: true, workerData: { url, everyMs, timeoutMs } });
  const result = new Promise<number[]>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    async stop() {
      worker.postMessage('stop');
      const latencies = await result;
      await worker.terminate();
      return latencies;
    },
  };
}

export interface SseEvent {
  event: string;
  id: string | null;
  data: string;
}

/** An open `GET /stream`: the events read so far, and a wait for one that matches. */
export interface OpenStream {
  status: number;
  headers: Headers;
  body: string;
  events: SseEvent[];
  until(match: (event: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  close(): void;
}

/** Opens a stream with `token`; a refused one (not 200) answers its status, headers and body. */
export async function openStream(url: string, token: string, query = ''): Promise<OpenStream> {
  const controller = new AbortController();
  const response = await fetch(`${url}/api/v1/stream${query}`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  const events: SseEvent[] = [];
  const waiters = new Set<() => void>();
  const close = () => controller.abort();
  if (response.status !== 200) {
    return { status: response.status, headers: response.headers, body: await response.text(), events, until: () => Promise.reject(new Error('refused')), close };
  }
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      const reader = response.body!.getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: SseEvent = { event: '', id: null, data: '' };
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) event.event = line.slice(7);
            else if (line.startsWith('id: ')) event.id = line.slice(4);
            else if (line.startsWith('data: ')) event.data = line.slice(6);
          }
          if (event.event) events.push(event);
          for (const wake of [...waiters]) wake();
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    status: 200,
    headers: response.headers,
    body: '',
    events,
    close,
    until(match, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(match);
          if (!found) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching event within ${timeoutMs} ms (saw ${events.map((e) => e.event).join(', ') || 'none'})`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

/** Runs `paths` round-robin on `concurrency` connections; answers each request's latency (ms) and any non-200. */
export async function timedRequests(url: string, token: string, paths: readonly string[], concurrency: number): Promise<{ latencies: number[]; failures: string[] }> {
  const latencies: number[] = [];
  const failures: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < paths.length) {
        const path = paths[next++]!;
        const started = performance.now();
        const response = await fetch(`${url}/api/v1/${path}`, { headers: { authorization: `Bearer ${token}` } });
        await response.arrayBuffer();
        latencies.push(performance.now() - started);
        if (response.status !== 200) failures.push(`${path}: ${response.status}`);
      }
    }),
  );
  return { latencies, failures };
}
