/**
 * The BFF as the period benchmark runs it: `startBff` in its own process over the bench
 * database (no background work), with an event-loop delay histogram, so the report's
 * effect on the loop is measured where the report runs.
 *   node --import tsx bench/children/period-server.ts <db file>
 * Prints `READY {"url", "pid"}`; on SIGUSR2 prints `LOOP {"maxMs", "p99Ms", "meanMs"}`
 * for the time since the previous SIGUSR2 (or the start) and starts a new window.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { readEnvironment } from '../../bff/env.ts';
import { startBff } from '../../bff/start.ts';

const [dbPath] = process.argv.slice(2);
if (!dbPath) throw new Error('usage: period-server.ts <db file>');
const environment = readEnvironment({ DATABASE_URL: `file:${dbPath}`, PORT: '0', HOST: '127.0.0.1', BHM_LOG_LEVEL: 'warn' });
const bff = await startBff(environment, { background: false });
const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
process.on('SIGUSR2', () => {
  const ms = (ns: number) => Math.round(ns / 1e4) / 100;
  process.stdout.write(`LOOP ${JSON.stringify({ maxMs: ms(loop.max), p99Ms: ms(loop.percentile(99)), meanMs: ms(loop.mean) })}\n`);
  loop.reset();
});
process.stdout.write(`READY ${JSON.stringify({ url: bff.url, pid: process.pid })}\n`);
process.on('SIGTERM', () => {
  bff.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
