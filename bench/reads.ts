/**
 * reads: req/s and latency of the list endpoints under 50 connections (autocannon in
 * its own process) against the BFF (`startBff` in its own process), and the same
 * load against a bare Hono + `libsql` endpoint in its own process over the same data.
 */
import { fileURLToPath } from 'node:url';
import { clientId, type FleetInfo } from './fleet.ts';
import { runJson, startChild, type Running } from './lib/children.ts';
import { rssOf } from './lib/util.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
export const SERVER_CHILD = here('./children/server.ts');
const BARE_CHILD = here('./children/bare.ts');
const LOAD_CHILD = here('./children/load.mjs');

export interface LoadFigures {
  requests: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  errors: number;
  non2xx: number;
  timeouts: number;
  bytes: number;
}

export interface ReadTarget {
  name: string;
  path: string;
  figures: LoadFigures;
  /** The bare endpoint's figures this one is compared with. */
  baseline: string;
  ratio: number;
}

export interface ReadsResult {
  connections: number;
  durationSeconds: number;
  tenantDevices: number;
  tenantClients: number;
  baselines: Record<string, LoadFigures & { path: string }>;
  targets: ReadTarget[];
  /** RSS of the bare endpoint's process after its load (the memory baseline). */
  bareRssBytes: number;
}

export interface ServerInfo {
  url: string;
  pid: number;
}

export interface ReadsOptions {
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  log?: (message: string) => void;
}

export function startServer(dbPath: string, widgetsDir: string): Promise<Running<ServerInfo>> {
  return startChild<ServerInfo>(SERVER_CHILD, [dbPath, widgetsDir]);
}

async function load(url: string, headers: Record<string, string>, options: ReadsOptions): Promise<LoadFigures> {
  return runJson<LoadFigures>(LOAD_CHILD, JSON.stringify({ url, headers, connections: options.connections, durationSeconds: options.durationSeconds, warmupSeconds: options.warmupSeconds }));
}

/** One request first: the endpoint must answer 200 with a full page before it is loaded. */
async function check(url: string, headers: Record<string, string>, expectItems: number): Promise<void> {
  const response = await fetch(url, { headers });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${text.slice(0, 500)}`);
  const items = (JSON.parse(text) as { items?: unknown[] }).items;
  if (!Array.isArray(items) || items.length < expectItems) throw new Error(`GET ${url} answered ${items?.length ?? 'no'} items, expected ${expectItems}`);
}

export async function benchReads(fleet: FleetInfo, server: ServerInfo, options: ReadsOptions): Promise<ReadsResult> {
  const log = options.log ?? (() => undefined);
  const tenant = fleet.big;
  const client = clientId(tenant.id, 7);
  const clientSize = Math.min(50, Math.ceil(tenant.devices / tenant.clients) - 1);

  // The bare endpoint runs in its own process beside the BFF (each idles while the other is
  // loaded); each product endpoint is loaded right after its baseline, so a change in the
  // machine's load touches both alike.
  const bare = await startChild<ServerInfo>(BARE_CHILD, [fleet.path, tenant.id]);
  const headers = { authorization: `Bearer ${tenant.adminKey}` };
  const baselines: ReadsResult['baselines'] = {};
  const targets: ReadTarget[] = [];
  let bareRssBytes = NaN;
  const measureBaseline = async (name: string, path: string, expect: number) => {
    await check(bare.info.url + path, {}, expect);
    const figures = await load(bare.info.url + path, {}, options);
    baselines[name] = { ...figures, path };
    log(`reads ${name}: ${Math.round(figures.rps)} req/s, p99 ${figures.p99} ms`);
  };
  const measure = async (name: string, path: string, expect: number, baseline: string) => {
    await check(server.url + path, headers, expect);
    const figures = await load(server.url + path, headers, options);
    const ratio = figures.rps / baselines[baseline]!.rps;
    targets.push({ name, path, figures, baseline, ratio });
    log(`reads ${name}: ${Math.round(figures.rps)} req/s, p99 ${figures.p99} ms (${(ratio * 100).toFixed(0)} % of ${baseline}), BFF RSS ${Math.round((await rssOf(server.pid)) / 1048576)} MB`);
  };
  try {
    await measureBaseline('bare devices page', '/devices', 50);
    await measure('GET /devices?limit=50&sort=score', '/api/v1/devices?limit=50&sort=score', 50, 'bare devices page');
    await measureBaseline('bare client page', `/devices?client=${client}`, clientSize);
    await measure('GET /devices?client=…&limit=50&sort=score', `/api/v1/devices?client=${client}&limit=50&sort=score`, clientSize, 'bare client page');
    await measure('GET /clients', '/api/v1/clients', Math.min(100, tenant.clients), 'bare devices page');
    bareRssBytes = await rssOf(bare.info.pid);
  } finally {
    await bare.stop();
  }
  return {
    connections: options.connections,
    durationSeconds: options.durationSeconds,
    tenantDevices: tenant.devices,
    tenantClients: tenant.clients,
    baselines,
    targets,
    bareRssBytes,
  };
}
