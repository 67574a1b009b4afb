/**
 * period: `GET /compliance?period=30d` for one tenant of N devices with 30 days of
 * daily backups (3M jobs at 100k), the BFF in its own process, while a probe asks
 * `GET /me` every 20 ms. Measured: the report's seconds, and the server's event-loop
 * delay during it (monitorEventLoopDelay in the server process) beside the same probe
 * on the idle server: a report that stays off the event loop leaves the probe answered.
 */
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { generateFleet, removeFleet } from './fleet.ts';
import { startChild, type Running } from './lib/children.ts';
import { fmt, percentile, sleep } from './lib/util.ts';
import type { ServerInfo } from './reads.ts';

const SERVER_CHILD = fileURLToPath(new URL('./children/period-server.ts', import.meta.url));
/** Days of history: the 30-day period and the day before it (the state at its start). */
const HISTORY_DAYS = 31;

export interface PeriodOptions {
  dir: string;
  devices: number;
  keep: boolean;
  log: (message: string) => void;
}

export interface LoopDelay {
  maxMs: number;
  p99Ms: number;
  meanMs: number;
}

export interface ProbeFigures {
  requests: number;
  p50Ms: number;
  maxMs: number;
}

export interface PeriodResult {
  devices: number;
  jobs: number;
  days: number;
  fleetSeconds: number;
  reportMs: number;
  responseBytes: number;
  meetingPct: number | null;
  devicesWithBreach: number;
  breaches: number;
  /** The server's event-loop delay during the report, and idle (same probe) just before. */
  loop: LoopDelay;
  idleLoop: LoopDelay;
  probe: ProbeFigures;
  idleProbe: ProbeFigures;
}

/** Asks the server child for its event-loop window (and starts the next one). */
function loopWindow(server: Running<ServerInfo>, lines: AsyncIterator<string>): Promise<LoopDelay> {
  server.child.kill('SIGUSR2');
  return (async () => {
    for (;;) {
      const { value, done } = await lines.next();
      if (done) throw new Error(`the server exited:\n${server.stderr()}`);
      if (value.startsWith('LOOP ')) return JSON.parse(value.slice(5)) as LoopDelay;
    }
  })();
}

/** `GET /me` every 20 ms until `stop` settles: the latency another user sees meanwhile. */
async function probe(url: string, headers: Record<string, string>, stop: Promise<unknown>): Promise<ProbeFigures> {
  let stopped = false;
  void stop.finally(() => (stopped = true));
  const latencies: number[] = [];
  while (!stopped) {
    const started = performance.now();
    const response = await fetch(`${url}/api/v1/me`, { headers });
    await response.arrayBuffer();
    latencies.push(performance.now() - started);
    await sleep(20);
  }
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, p50Ms: percentile(latencies, 50), maxMs: latencies.at(-1) ?? NaN };
}

export async function benchPeriod(options: PeriodOptions): Promise<PeriodResult> {
  const { log } = options;
  const path = `${options.dir}/period.db`;
  log(`period: generating one tenant of ${fmt.int(options.devices)} devices with ${HISTORY_DAYS} days of daily backups`);
  const fleet = await generateFleet({ path, devices: options.devices, shape: 'one-tenant', historyDays: HISTORY_DAYS, jobsPerDay: 1, log });
  log(`period fleet: ${fmt.int(fleet.rows.jobs)} jobs in ${fleet.seconds.toFixed(1)} s`);
  const server = await startChild<ServerInfo>(SERVER_CHILD, [path]);
  const lines = createInterface({ input: server.child.stdout! })[Symbol.asyncIterator]();
  try {
    const url = server.info.url;
    const headers = { authorization: `Bearer ${fleet.big.adminKey}` };
    // Daily backups with two hours of grace: breaches come from failures, streaks and silent devices.
    const sla = await fetch(`${url}/api/v1/settings/sla`, {
      method: 'PUT',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: { workstationHours: 26, serverHours: 26, saasHours: 36 } }),
    });
    if (!sla.ok) throw new Error(`PUT /settings/sla answered ${sla.status}: ${await sla.text()}`);

    await loopWindow(server, lines);
    const idleProbe = await probe(url, headers, sleep(2_000));
    const idleLoop = await loopWindow(server, lines);

    const started = performance.now();
    const report = fetch(`${url}/api/v1/compliance?period=30d`, { headers }).then(async (response) => {
      const text = await response.text();
      if (!response.ok) throw new Error(`GET /compliance?period=30d answered ${response.status}: ${text.slice(0, 500)}`);
      return { text, reportMs: performance.now() - started };
    });
    const [{ text, reportMs }, probeFigures] = await Promise.all([report, probe(url, headers, report)]);
    const loop = await loopWindow(server, lines);
    const body = JSON.parse(text) as { summary: { meetingPct: number | null; devicesWithBreach: number }; devices: { breaches: unknown[] }[] };
    const result: PeriodResult = {
      devices: body.devices.length,
      jobs: fleet.rows.jobs,
      days: 30,
      fleetSeconds: fleet.seconds,
      reportMs,
      responseBytes: Buffer.byteLength(text),
      meetingPct: body.summary.meetingPct,
      devicesWithBreach: body.summary.devicesWithBreach,
      breaches: body.devices.reduce((sum, device) => sum + device.breaches.length, 0),
      loop,
      idleLoop,
      probe: probeFigures,
      idleProbe,
    };
    log(
      `period: ${fmt.s(reportMs)} for ${fmt.int(result.devices)} devices × 30 days (${fmt.mb(result.responseBytes)} JSON, ${fmt.int(result.breaches)} breaches); ` +
        `event-loop delay max ${fmt.ms(loop.maxMs)} (idle ${fmt.ms(idleLoop.maxMs)}); GET /me meanwhile p50 ${fmt.ms(probeFigures.p50Ms)}, max ${fmt.ms(probeFigures.maxMs)} over ${probeFigures.requests} requests`,
    );
    return result;
  } finally {
    await server.stop();
    if (!options.keep) removeFleet(path);
  }
}
