/** Small helpers shared by the benchmark scripts. */
import { createRequire } from 'node:module';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

const require = createRequire(import.meta.url);
export type Native = import('libsql').Database;
export type NativeStatement = import('libsql').Statement<unknown[]>;

/** Opens a database file with the `libsql` driver directly (the fastest path on this stack). */
export function openNative(path: string): Native {
  const Libsql = require('libsql') as new (path: string) => Native;
  return new Libsql(path);
}

/** Lets the event loop turn (timers, I/O, native handle finalizers). */
export const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Deterministic PRNG (the demo's mulberry32): the same fleet on every run. */
export { createRandom as random, type Random } from '../../demo/seed/random.ts';

export const pad = (n: number, width: number) => String(n).padStart(width, '0');

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export const fmt = {
  int: (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a'),
  num: (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a'),
  pct: (ratio: number) => (Number.isFinite(ratio) ? `${(ratio * 100).toFixed(0)} %` : 'n/a'),
  ms: (n: number) => (Number.isFinite(n) ? (n >= 100 ? `${Math.round(n)} ms` : `${n.toFixed(1)} ms`) : 'n/a'),
  s: (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : 'n/a'),
  mb: (bytes: number) => (Number.isFinite(bytes) ? `${(bytes / 1048576).toFixed(0)} MB` : 'n/a'),
  kb: (bytes: number) => (Number.isFinite(bytes) ? `${(bytes / 1024).toFixed(1)} KB` : 'n/a'),
};

let started = performance.now();
export function resetClock() {
  started = performance.now();
}
/** Progress line with the elapsed time of the whole run. */
export function progress(message: string) {
  const t = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
  process.stdout.write(`[${t}s] ${message}\n`);
}

/** VmRSS of a process in bytes (Linux), or NaN. */
export async function rssOf(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(status);
    return match ? Number(match[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}
