/**
 * WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside the
 * COMMIT that takes the WAL past 1,000 pages, on the thread that commits: in a 100k
 * sweep that was about half of all COMMIT time (docs/performance.md, "Round 4"). A
 * worker thread with its own connection runs a PASSIVE checkpoint every `intervalMs`
 * instead, on the second core; PASSIVE never blocks readers or the writer. The main
 * connection keeps its automatic checkpoint as a fallback at a higher threshold, so
 * the WAL stays bounded if the worker falls behind or dies.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { log } from '../log.ts';
import type { Database } from './port.ts';

export interface CheckpointerOptions {
  /** How often the worker checkpoints. */
  intervalMs?: number;
  /** The main connection's own automatic checkpoint while the worker runs (pages). */
  fallbackPages?: number;
}

export interface Checkpointer {
  /** Checkpoints that moved frames into the database, and the frames they moved. */
  stats(): { checkpoints: number; frames: number };
  /** Stops the worker and gives the main connection its default threshold back. */
  stop(): Promise<void>;
}

const DEFAULT_INTERVAL_MS = 100;
const DEFAULT_FALLBACK_PAGES = 10_000;
const SQLITE_DEFAULT_PAGES = 1_000;

// Plain JavaScript evaluated in the worker: nothing to compile or bundle, the same under
// tsx and in dist/. The driver comes by the path the main thread resolved.
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.exec('PRAGMA busy_timeout = 0');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const timer = setInterval(() => {
  try {
    const { busy, log, checkpointed } = checkpoint.get();
    if (checkpointed > 0) parentPort.postMessage({ frames: checkpointed, busy, log });
  } catch (error) {
    // Another connection checkpointing (a second instance on the same file) is no failure.
    const message = String(error && error.message || error);
    if (!/busy|locked/i.test(message)) parentPort.postMessage({ error: message });
  }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/** Starts checkpointing the WAL of the database file at `path`, which `db` has open. */
export async function startCheckpointer(db: Database, path: string, options: CheckpointerOptions = {}): Promise<Checkpointer> {
  const driver = createRequire(import.meta.url).resolve('libsql');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, path, intervalMs: options.intervalMs ?? DEFAULT_INTERVAL_MS } });
  worker.unref();
  let checkpoints = 0;
  let frames = 0;
  let lastFrames = 0;
  let warned = false;
  worker.on('message', (message: { frames?: number; error?: string }) => {
    if (message.error !== undefined) {
      if (!warned) log.warn('WAL checkpoint failed in the checkpoint worker; the main connection checkpoints instead', { error: message.error });
      warned = true;
      return;
    }
    // A PASSIVE checkpoint reports the WAL's frames backfilled so far: count what moved.
    const moved = message.frames! >= lastFrames ? message.frames! - lastFrames : message.frames!;
    lastFrames = message.frames!;
    if (moved > 0) {
      checkpoints++;
      frames += moved;
    }
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.once('error', (error) => log.warn('the checkpoint worker stopped; the main connection checkpoints instead', { error: String(error) }));
  await db.exec(`PRAGMA wal_autocheckpoint = ${options.fallbackPages ?? DEFAULT_FALLBACK_PAGES}`);
  return {
    stats: () => ({ checkpoints, frames }),
    async stop() {
      worker.ref(); // keep the process alive until the worker has closed its connection
      worker.postMessage('stop');
      await exited;
      await db.exec(`PRAGMA wal_autocheckpoint = ${SQLITE_DEFAULT_PAGES}`).catch(() => undefined);
    },
  };
}

/** The file behind a `file:` URL; null for `:memory:` and remote URLs (no WAL of ours to checkpoint). */
export function localFilePath(url: string): string | null {
  if (!url.startsWith('file:')) return null;
  const path = url.replace(/^file:(\/\/)?/, '').split('?')[0]!;
  return path === '' || path === ':memory:' ? null : path;
}
