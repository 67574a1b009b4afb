/**
 * A real BFF for tests: `createApp` over a fresh in-memory libSQL database with
 * migrations applied, one tenant with an admin key, and a steppable clock.
 */
import { createApp } from '../../bff/app.ts';
import { DEFAULT_CONFIG, type AppConfig, type AppDeps } from '../../bff/context.ts';
import { openDatabase } from '../../bff/db/client.ts';
import { migrate } from '../../bff/db/migrate.ts';
import type { ServiceOptions } from '../../bff/services/index.ts';
import { createTenant } from '../../bff/services/tenants.ts';

export const T0 = Date.UTC(2026, 10, 24, 12, 0, 0);
export const HOUR = 3_600_000;

export interface TestClock {
  (): number;
  set(ms: number): void;
  advance(ms: number): void;
}

export function testClock(start = T0): TestClock {
  let now = start;
  const clock = (() => now) as TestClock;
  clock.set = (ms) => void (now = ms);
  clock.advance = (ms) => void (now += ms);
  return clock;
}

export interface RequestOptions {
  body?: unknown;
  /** Raw body (e.g. CSV); sent as is. */
  raw?: string;
  token?: string | null;
  headers?: Record<string, string>;
}

export async function testApp(options: { now?: number; config?: Partial<AppConfig>; url?: string } & ServiceOptions = {}) {
  const db = openDatabase({ url: options.url ?? ':memory:' });
  await migrate(db);
  const clock = testClock(options.now);
  // The stand-ins listen on loopback, which the default `public` policy refuses to call.
  // No draining behind the tests' backs: the test clock decides when evaluations happen.
  const config: AppConfig = { ...DEFAULT_CONFIG, platformKey: 'platform-key-for-tests-0123456789', integrationNetworks: 'any', drainEvaluations: false, ...options.config };
  const deps: AppDeps = { db, clock, config, instanceId: 'test-instance' };
  const { app, services } = createApp(deps, { evaluationListeners: options.evaluationListeners });
  const tenant = await createTenant(db, 'Acme MSP', clock());

  async function request(method: string, path: string, opts: RequestOptions = {}) {
    const headers: Record<string, string> = { ...opts.headers };
    // Tests read their own writes, as the docs tell API clients that need to.
    if (method === 'POST' && /^\/?(api\/v1\/)?events\b/.test(path)) headers.prefer ??= 'wait=evaluated';
    const token = opts.token === undefined ? tenant.adminKey : opts.token;
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | undefined = opts.raw;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await app.request(path.startsWith('/') ? path : `/api/v1/${path}`, { method, headers, body });
    const type = response.headers.get('content-type') ?? '';
    const json = type.includes('json') ? await response.json() : undefined;
    return { status: response.status, headers: response.headers, json: json as any, response };
  }

  return { app, services, db, clock, deps, tenant, adminKey: tenant.adminKey, request, close: () => db.close() };
}

export type TestApp = Awaited<ReturnType<typeof testApp>>;
