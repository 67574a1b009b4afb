/**
 * `npm start`: the standalone demo in one process on loopback. It starts the SMTP
 * inbox, PSA and On-Call stand-ins, the BFF on an embedded libSQL file, the demo
 * pages in front of it, seeds a realistic fleet once (through the public API) and
 * keeps it alive with the simulator.
 *
 * Environment: PORT (8787), DEMO_DB (file:data/demo.db), DEMO_RESET=1 or `--reset`
 * (start from an empty database), DEMO_DEVICES (500), DEMO_SIMULATOR=off,
 * DEMO_SIMULATOR_INTERVAL_MS (3000: how often the simulator looks for slots that have come), BHM_SWEEP_INTERVAL_S (15), BHM_CORS_ORIGINS (origins
 * allowed to embed the widgets, as for `npm run serve`), DEMO_MAIL_PORT (2525: the report
 * mail listener on loopback), DEMO_REPORTING=off, DEMO_REPORTING_INTERVAL_MS (60000: the
 * devices that report by ping URL and by Veeam mail, on the minute as their cron policy says).
 */
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { getRequestListener } from '@hono/node-server';
import { readEnvironment } from '../bff/env.ts';
import { startBff } from '../bff/start.ts';
import type { ClientItem, DeviceItem, Page } from '../core/api.ts';
import { createApiClient } from './api-client.ts';
import { createDemoApp } from './app.ts';
import type { DemoContext } from './context.ts';
import { enrolmentClock } from './seed/enrolment-clock.ts';
import { buildFleet } from './seed/fleet.ts';
import { seedFleet, type SeedResult } from './seed/seeder.ts';
import { REAL_TOOL_SLUGS, REPORTING_CLIENT, startReportingDevices, type ReportingDevices } from './reporting-devices.ts';
import { startSimulator, type SimulatedSpec } from './simulator.ts';
import { startStandIns } from './standins.ts';
import { applyIntegrationSettings, applySeedSettings } from './tenant-settings.ts';

/** The demo tenant's admin key (BHM_BOOTSTRAP_KEY). Fixed so that curl examples work; demo only. */
export const DEMO_ADMIN_KEY = 'bhm_demo_admin_0000_not_a_secret';
/** The X-Integration-Key shared with the PSA stand-in (and accepted back from it). */
export const DEMO_PSA_KEY = 'demo-psa-integration-key-0001';
export const DEMO_ONCALL_KEY = 'demo-oncall-integration-key-0001';

export interface DemoOptions {
  /** Default 8787; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1 (loopback only). */
  host?: string;
  /** Default file:data/demo.db */
  databaseUrl?: string;
  /** Delete the database file first (local files only). */
  reset?: boolean;
  /** About how many devices to seed (default 500). */
  deviceCount?: number;
  /** Days of history for daily / 4-hourly devices (default 30). */
  historyDays?: number;
  /** false: no simulator; otherwise its tick interval (0: ticks only when called). */
  simulator?: false | { intervalMs?: number };
  /** Default 15. */
  sweepIntervalSeconds?: number;
  /** Where the built widget module is served from (default dist/widgets). */
  widgetsDir?: string;
  /** BHM_CORS_ORIGINS: comma-separated origins allowed to embed the widgets (default none). */
  corsOrigins?: string;
  /** The report mail listener's loopback port (default 0: a free one). */
  mailPort?: number;
  /** Devices reporting by ping URL and Veeam mail: false, or their tick interval (default: on when the simulator ticks by itself, every minute on the minute). */
  reporting?: false | { intervalMs?: number };
  /** Where console lines go (default console.log); null: silent. */
  print?: ((line: string) => void) | null;
}

export interface RunningDemo {
  url: string;
  adminKey: string;
  context: DemoContext;
  /** Resolves when the fleet is seeded (null when the database already had one). */
  ready: Promise<SeedResult | null>;
  /** The ping and mail reporters, once `ready` (null when off). */
  reporting: ReportingDevices | null;
  close(): Promise<void>;
}

export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  const print = options.print === null ? () => undefined : (options.print ?? ((line: string) => console.log(line)));
  const databaseUrl = options.databaseUrl ?? 'file:data/demo.db';
  const sweepIntervalSeconds = options.sweepIntervalSeconds ?? 15;
  if (options.reset) resetDatabase(databaseUrl, print);

  // The front server answers at once (pages show "starting…") and hands everything
  // that is not a demo page to the BFF's app in-process.
  const context: DemoContext = {
    url: '',
    api: null as never,
    status: { phase: 'starting', percent: 0, message: 'Starting…', clients: 0, devices: 0, eventsSent: 0, eventsTotal: 0 },
    bff: null,
    standIns: null,
    simulator: null,
    settingsKey: null,
    businessHours: null,
    databaseUrl,
    sweepIntervalSeconds,
  };
  const app = createDemoApp(context);
  const server = createServer(getRequestListener(app.fetch));
  await listen(server, options.port ?? 8787, options.host ?? '127.0.0.1');
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  context.url = url;
  context.api = createApiClient(`${url}/api/v1`, DEMO_ADMIN_KEY);

  print('');
  print(`  Backup Health demo  →  ${url}/`);
  print(`  Console             →  ${url}/console`);
  print(`  Admin API key (demo only): ${DEMO_ADMIN_KEY}`);
  print(`  PSA integration key: ${DEMO_PSA_KEY}   On-Call integration key: ${DEMO_ONCALL_KEY}`);
  print(`  Try: curl -H 'Authorization: Bearer ${DEMO_ADMIN_KEY}' '${url}/api/v1/devices?limit=5'`);
  print(`  Database: ${databaseUrl}${options.reset ? ' (reset)' : ''}   (npm start -- --reset to reseed)`);
  print('');

  const closers: (() => Promise<void>)[] = [];
  const abort = new AbortController();
  // Behind only while the fleet is enrolled: devices enrolled as of the start of their history.
  const clock = enrolmentClock();
  try {
    const standIns = await startStandIns({ psaKey: DEMO_PSA_KEY, onCallKey: DEMO_ONCALL_KEY });
    context.standIns = standIns;
    closers.push(() => standIns.close());

    const environment = readEnvironment({
      DATABASE_URL: databaseUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      BHM_BOOTSTRAP_KEY: DEMO_ADMIN_KEY,
      BHM_SWEEP_INTERVAL_S: String(sweepIntervalSeconds),
      PUBLIC_URL: url,
      SMTP_URL: standIns.smtpUrl,
      MAIL_FROM: 'Backup Health <backup-health@msp.example>',
      // The demo's PSA and On-Call stand-ins listen on this machine.
      BHM_INTEGRATION_NETWORKS: 'any',
      BHM_MAIL_INGEST_PORT: String(options.mailPort ?? 0),
      ...(options.widgetsDir ? { BHM_WIDGETS_DIR: options.widgetsDir } : {}),
      ...(options.corsOrigins ? { BHM_CORS_ORIGINS: options.corsOrigins } : {}),
    });
    const bff = await startBff(environment, { clock });
    context.bff = bff;
    closers.unshift(() => bff.close());
    print(`  Report mail listener →  smtp://127.0.0.1:${bff.mail!.listener.port} (plain SMTP, loopback only)`);

    context.businessHours = await applyIntegrationSettings(
      context.api,
      { psaUrl: standIns.psaUrl, psaKey: DEMO_PSA_KEY, onCallUrl: standIns.onCallUrl, onCallKey: DEMO_ONCALL_KEY },
      Date.now(),
    );
    const hours = context.businessHours;
    print(`  On-Call pages outside ${hours.start}–${hours.end} Mon–Fri ${hours.timezone} (outside now, so overdue servers page).`);
    const settingsKey = await context.api.post('/api-keys', { name: `demo console settings ${new Date().toISOString()}`, scopes: ['admin'] });
    context.settingsKey = settingsKey.key;
    if (environment.config.corsOrigins.length > 0) printEmbedHint(print, url, environment.config.corsOrigins);
  } catch (error) {
    context.status = { ...context.status, phase: 'failed', message: `The demo failed to start: ${String((error as Error)?.message ?? error)}` };
    await closeAll(server, closers);
    throw error;
  }

  const fleet = buildFleet({ deviceCount: options.deviceCount ?? 500 });
  const simulated = new Map<string, SimulatedSpec>(fleet.devices.map((device) => [device.id, device]));

  const simulatorTicks = options.simulator !== false && (options.simulator?.intervalMs ?? 3_000) > 0;
  const reportingOn = options.reporting === undefined ? simulatorTicks : options.reporting !== false;
  const holder: { reporting: ReportingDevices | null } = { reporting: null };

  const ready = (async (): Promise<SeedResult | null> => {
    const existing = await context.api.get('/devices?limit=1');
    let result: SeedResult | null = null;
    if (existing.items.length > 0) {
      await describeExistingFleet(context, print);
    } else {
      context.status = { ...context.status, phase: 'seeding', message: 'Seeding the demo fleet…', clients: fleet.clients.length, devices: fleet.devices.length };
      print(`  Seeding ${fleet.clients.length} clients, ${fleet.devices.length} devices and their history through the API…`);
      let lastPrinted = -1;
      result = await seedFleet(context.api, fleet, {
        now: Date.now(),
        // From the enrolment (a day before the period reports look at), so none starts in a gap.
        history: { days: (options.historyDays ?? 30) + 1 },
        signal: abort.signal,
        beforeInventory: () => clock.backdate(options.historyDays ?? 30),
        afterInventory: async () => {
          clock.resume();
          await applySeedSettings(context.api);
        },
        onProgress: (progress) => {
          context.status = {
            ...context.status,
            percent: progress.percent,
            eventsSent: progress.eventsSent,
            eventsTotal: progress.eventsTotal,
            message: progress.phase === 'inventory' ? 'Enrolling clients and devices…' : `Sending ${options.historyDays ?? 30} days of backup history…`,
          };
          const decile = Math.floor(progress.percent / 10);
          if (decile > lastPrinted) {
            lastPrinted = decile;
            print(`  seeding ${String(progress.percent).padStart(3)} %  (${progress.eventsSent.toLocaleString('en-US')} of ${progress.eventsTotal.toLocaleString('en-US')} events)`);
          }
        },
      });
      print(`  Seeded ${result.devices} devices and ${result.events.toLocaleString('en-US')} events in ${(result.milliseconds / 1000).toFixed(1)} s.`);
    }
    context.status = { ...context.status, phase: 'ready', percent: 100, message: 'Ready' };

    if (options.simulator !== false) {
      let lastSimulatorError = '';
      const simulator = startSimulator(context.api, {
        intervalMs: options.simulator?.intervalMs ?? 3_000,
        devices: simulated,
        skipClients: [REPORTING_CLIENT],
        onError: (error) => {
          // One line per distinct failure, not one every tick while the BFF keeps refusing.
          const message = String((error as Error)?.message ?? error);
          if (message !== lastSimulatorError) print(`  simulator: ${message}`);
          lastSimulatorError = message;
        },
      });
      context.simulator = simulator;
      closers.unshift(() => simulator.stop());
      if ((options.simulator?.intervalMs ?? 3_000) > 0) print(`  Simulator on: devices run at their schedules' slots in real time, checked every ${((options.simulator?.intervalMs ?? 3_000) / 1000).toFixed(0)} s (DEMO_SIMULATOR=off to stop it).`);
    }
    if (reportingOn) {
      const reporting = await startReportingDevices({
        url,
        adminKey: DEMO_ADMIN_KEY,
        mailPort: context.bff!.mail!.listener.port,
        intervalMs: options.reporting ? (options.reporting.intervalMs ?? 60_000) : 60_000,
        onError: (error) => print(`  reporting devices: ${String((error as Error)?.message ?? error)}`),
      });
      holder.reporting = reporting;
      closers.unshift(() => reporting.stop());
      print(`  Reporting by ping and mail: NAS-01 pings, a Veeam server mails its report (client "Reporting demo").`);
      print(`    Ping URL base:  ${reporting.pingUrlBase}`);
      print(`    borgmatic:      ${reporting.pingUrlBase}/${REAL_TOOL_SLUGS.borgmatic}`);
      print(`    restic:         ${reporting.pingUrlBase}/${REAL_TOOL_SLUGS.restic}`);
      print(`    Report mail to: ${reporting.mailAddress} (smtp://127.0.0.1:${context.bff!.mail!.listener.port})`);
    }
    print(`  Ready: ${url}/console`);
    return result;
  })();
  ready.catch((error) => {
    clock.resume();
    if (abort.signal.aborted) return;
    context.status = { ...context.status, phase: 'failed', message: `Seeding failed: ${String((error as Error)?.message ?? error)}` };
    print(`  ${context.status.message}`);
  });

  let closing: Promise<void> | null = null;
  return {
    url,
    adminKey: DEMO_ADMIN_KEY,
    context,
    ready,
    get reporting() {
      return holder.reporting;
    },
    close: () =>
      (closing ??= (async () => {
        abort.abort();
        await ready.catch(() => undefined);
        await closeAll(server, closers);
      })()),
  };
}

/** How to embed the widgets from the allowed origins (README "Embed a widget"). */
function printEmbedHint(print: (line: string) => void, url: string, origins: readonly string[]): void {
  print(`  Embedding allowed from ${origins.join(', ')}. Your page loads ${url}/widgets/backup-health.js and`);
  print(`  sets api-base="${url}"; your server mints its tokens (and new ones on bh-auth-expired) with`);
  print(`  curl -X POST ${url}/api/v1/embed-tokens -H 'Authorization: Bearer ${DEMO_ADMIN_KEY}' -H 'Content-Type: application/json' -d '{}'`);
}

/** A restarted demo keeps its fleet; say how old its data is (the simulator catches up). */
async function describeExistingFleet(context: DemoContext, print: (line: string) => void): Promise<void> {
  const clients = await context.api.get('/clients?limit=500');
  const newest = await context.api.get('/devices?sort=lastSuccessAt&order=desc&limit=1');
  context.status = { ...context.status, clients: clients.items.length, devices: clients.items.reduce((sum, c) => sum + c.total, 0) };
  print(`  The database already holds a fleet of ${context.status.devices} devices: not seeding (--reset starts over).`);
  const lastSuccessAt = newest.items[0]?.lastSuccessAt;
  const hoursOld = lastSuccessAt ? (Date.now() - Date.parse(lastSuccessAt)) / 3_600_000 : 0;
  if (hoursOld > 2) print(`  Its newest backup is ${Math.round(hoursOld)} h old: many devices look overdue until the simulator catches up.`);
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`Port ${port} is in use: stop the other process or start with PORT=<free port>.`) : error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** Stops accepting, stops the BFF (which ends live streams), then the rest. */
async function closeAll(server: Server, closers: (() => Promise<void>)[]): Promise<void> {
  const drained = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  for (const close of closers) await close().catch(() => undefined);
  const force = setTimeout(() => server.closeAllConnections(), 2_000);
  await drained;
  clearTimeout(force);
}

function resetDatabase(databaseUrl: string, print: (line: string) => void): void {
  if (!databaseUrl.startsWith('file:')) {
    print(`  --reset only deletes local file databases; ${databaseUrl} was left as it is.`);
    return;
  }
  const path = databaseUrl.replace(/^file:(\/\/)?/, '').split('?')[0]!;
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true });
}

/** `tsx demo/main.ts [--reset]` */
async function main(): Promise<void> {
  const env = process.env;
  const demo = await startDemo({
    port: env.PORT ? Number(env.PORT) : 8787,
    databaseUrl: env.DEMO_DB || undefined,
    reset: process.argv.includes('--reset') || env.DEMO_RESET === '1',
    deviceCount: env.DEMO_DEVICES ? Number(env.DEMO_DEVICES) : undefined,
    simulator: env.DEMO_SIMULATOR === 'off' ? false : { intervalMs: env.DEMO_SIMULATOR_INTERVAL_MS ? Number(env.DEMO_SIMULATOR_INTERVAL_MS) : 3_000 },
    sweepIntervalSeconds: env.BHM_SWEEP_INTERVAL_S ? Number(env.BHM_SWEEP_INTERVAL_S) : undefined,
    corsOrigins: env.BHM_CORS_ORIGINS || undefined,
    mailPort: env.DEMO_MAIL_PORT ? Number(env.DEMO_MAIL_PORT) : 2525,
    reporting: env.DEMO_REPORTING === 'off' ? false : { intervalMs: env.DEMO_REPORTING_INTERVAL_MS ? Number(env.DEMO_REPORTING_INTERVAL_MS) : 60_000 },
  });
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) process.exit(1);
      stopping = true;
      console.log('\n  Stopping the demo…');
      demo.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error) => {
    console.error(`\n  ${String((error as Error)?.message ?? error)}\n`);
    process.exit(1);
  });
}
