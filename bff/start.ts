/**
 * Starts a BFF: opens the database, applies migrations, bootstraps the default
 * tenant, serves HTTP and runs the background work. Used by server.ts and the demo.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createApp, type App } from './app.ts';
import { startBackground } from './background.ts';
import type { AppDeps, Clock } from './context.ts';
import { localFilePath, startCheckpointer } from './db/checkpointer.ts';
import { openDatabase, openReplicated, type ReplicaOptions } from './db/client.ts';
import { migrate } from './db/migrate.ts';
import type { Environment } from './env.ts';
import { applyServerLimits, DEFAULT_SERVER_LIMITS, serverOptions } from './http/server-limits.ts';
import { log } from './log.ts';
import type { PingRouteOptions } from './routes/ping.ts';
import { bootstrapTenant } from './services/tenants.ts';
import { startMailIngest, type RunningMailIngest } from './inbound/mail/index.ts';

export interface RunningBff extends App {
  url: string;
  deps: AppDeps;
  /** The e-mail report listener, when BHM_MAIL_INGEST_PORT is set. */
  mail: RunningMailIngest | null;
  /** Graceful stop: stop accepting, finish in-flight requests, stop background work, close the database. */
  close(): Promise<void>;
}

export async function startBff(environment: Environment, options: { clock?: Clock; background?: boolean; ping?: PingRouteOptions; replica?: Partial<ReplicaOptions> } = {}): Promise<RunningBff> {
  const { databaseUrl } = environment;
  if (databaseUrl.startsWith('file:')) mkdirSync(dirname(databaseUrl.replace(/^file:(\/\/)?/, '').split('?')[0]!), { recursive: true });
  if (environment.databaseReplicaPath) mkdirSync(dirname(environment.databaseReplicaPath), { recursive: true });
  const databaseOptions = { url: databaseUrl, authToken: environment.databaseAuthToken, timeoutMs: environment.databaseTimeoutMs };
  // Workers (exports) get `databaseOptions` without the replica: one process, one replica file.
  const db = environment.databaseReplicaPath
    ? openReplicated(databaseOptions, { path: environment.databaseReplicaPath, ...options.replica })
    : openDatabase(databaseOptions);
  const applied = await migrate(db);
  // A local file's WAL is checkpointed by a worker thread, not inside the requests' COMMITs.
  const walFile = environment.databaseReplicaPath ? null : localFilePath(databaseUrl);
  const checkpointer = walFile ? await startCheckpointer(db, walFile) : null;
  if (applied.length) log.info('migrations applied', { applied });
  const clock = options.clock ?? Date.now;
  if (environment.bootstrapKey) await bootstrapTenant(db, environment.bootstrapKey, clock());

  const deps: AppDeps = { db, databaseOptions, clock, config: environment.config, instanceId: randomUUID() };
  const app = createApp(deps, { ping: options.ping });
  const background = options.background === false ? { stop: async () => undefined } : startBackground(app.services.background);

  const limits = environment.server ?? DEFAULT_SERVER_LIMITS;
  const server = serve({ fetch: app.app.fetch, port: environment.port, hostname: environment.host, serverOptions: serverOptions(limits) });
  applyServerLimits(server as Server, limits);
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const address = server.address() as AddressInfo;
  const host = environment.host === '0.0.0.0' ? '127.0.0.1' : environment.host;
  const url = `http://${host}:${address.port}`;
  const mail = environment.mailIngestPort === undefined ? null : await startMailIngest(deps, app.services.ingestor, environment.mailIngestPort, environment.host, app.services.mailInbox);

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      await mail?.close();
      for (const hook of app.services.onShutdown) await hook();
      // Long-lived streams were ended above; give in-flight requests up to 10 s.
      const timeout = setTimeout(() => ('closeAllConnections' in server ? server.closeAllConnections() : undefined), 10_000);
      await drained;
      clearTimeout(timeout);
      await background.stop();
      await checkpointer?.stop();
      await db.close();
    })());

  return { ...app, url, deps, mail, close };
}
