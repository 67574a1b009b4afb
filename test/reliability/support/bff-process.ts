/**
 * Real BFF processes for the reliability tests: `bff/server.ts` as `npm run serve`
 * runs it (one OS process each, see test/scale/cluster.ts), over a throw-away
 * `file:` database. Also reads a process's resident memory and checks a process's
 * log output for secrets.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request, startInstance, type Instance, type Reply, type RequestOptions } from '../../scale/cluster.ts';

export type { Instance, Reply, RequestOptions };
export { request };

/** The admin key of tenant `default` in every process these tests start. */
export const BOOTSTRAP_KEY = 'bhk_reliability-bootstrap-key-0123456789abcdef';

export interface TempDatabase {
  /** `file:/tmp/…/backup-health.db` */
  url: string;
  path: string;
  remove(): void;
}

/** A database file in a fresh temporary directory. */
export function tempDatabase(prefix = 'bh-reliability-'): TempDatabase {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const path = join(dir, 'backup-health.db');
  return { url: `file:${path}`, path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

let started = 0;

/**
 * Starts `bff/server.ts` on `database` with the bootstrap admin key; resolves when
 * it listens and /readyz answers. `env` adds or overrides variables (SMTP_URL,
 * BHM_SWEEP_INTERVAL_S, …).
 */
export function startBff(database: TempDatabase, env: Record<string, string> = {}, name = `bff-${++started}`): Promise<Instance> {
  return startInstance(name, { DATABASE_URL: database.url, BHM_BOOTSTRAP_KEY: BOOTSTRAP_KEY, ...env });
}

/** A request to a BFF process with the bootstrap admin key (unless `token` says otherwise). */
export function call(instance: Instance | string, method: string, path: string, options: RequestOptions = {}): Promise<Reply> {
  return request(typeof instance === 'string' ? instance : instance.url, method, path, { token: BOOTSTRAP_KEY, ...options });
}

/** Resident set size of a process in bytes (Linux /proc). */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

/** The secrets (by label) that occur in `output`. */
export function leakedSecrets(output: string, secrets: Record<string, string>): string[] {
  return Object.entries(secrets)
    .filter(([, secret]) => secret.length >= 8 && output.includes(secret))
    .map(([label]) => label);
}
