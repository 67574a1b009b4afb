/**
 * The product's sweep in its own process (so a slow sweep can be stopped at the time
 * budget): makes every device due, runs `services.sweeper.sweep(now)`, prints JSON.
 *   node --import tsx bench/children/sweep.ts '<json: {path, runs, profileFile, calendar?}>'
 * With `calendar`, the fleet's policies are first given calendar schedules (docs/schedules.md: Mon–Fri
 * 22:00, nightly, weekly, the month's last day, a cron line, in turn) and restored afterwards.
 */
import { createApp } from '../../bff/app.ts';
import { DEFAULT_CONFIG } from '../../bff/context.ts';
import { startCheckpointer } from '../../bff/db/checkpointer.ts';
import { openDatabase } from '../../bff/db/client.ts';
import { profiled, type Hotspot } from '../lib/profile.ts';
import { instrument, type StatementCost } from '../lib/sql-timing.ts';
import { openNative, tick } from '../lib/util.ts';

const options = JSON.parse(process.argv[2]!) as { path: string; runs: number; profileFile: string | null; calendar?: boolean };
const native = openNative(options.path);
native.exec('PRAGMA busy_timeout = 10000');
const CALENDARS = [
  { schedule: { kind: 'weekly', days: [1, 2, 3, 4, 5], times: ['22:00'] }, offline: { skipWhenOffline: true, alertAfterDays: 7 } },
  { schedule: { kind: 'weekly', days: [1, 2, 3, 4, 5, 6, 7], times: ['01:00'] } },
  { schedule: { kind: 'weekly', days: [7], times: ['03:00'] } },
  { schedule: { kind: 'monthly', days: [-1], times: ['23:30'] } },
  { schedule: { kind: 'cron', expression: '0 */6 * * *' }, merge: 'per-run', mergeRule: 'last' },
];
const savedPolicies = options.calendar
  ? (native.prepare('SELECT rowid AS r, schedule, interval_hours FROM policies').all() as { r: number; schedule: string | null; interval_hours: number }[])
  : [];
if (options.calendar) {
  const set = native.prepare('UPDATE policies SET schedule = ?, interval_hours = 24 WHERE rowid = ?');
  for (const [index, policy] of savedPolicies.entries()) set.run(JSON.stringify(CALENDARS[index % CALENDARS.length]), policy.r);
}
const makeAllDue = native.prepare('UPDATE devices SET next_check_at = 0 WHERE retired_at IS NULL');
const due = native.prepare('SELECT COUNT(*) AS n FROM devices WHERE next_check_at <= ? AND retired_at IS NULL');

// With a profile, the port is also timed per statement (small overhead: only then).
const port = openDatabase({ url: `file:${options.path}` });
const timing = options.profileFile ? instrument(port) : null;
const db = timing?.db ?? port;
// As `npm run serve` runs: a worker thread checkpoints the WAL (bff/start.ts).
const checkpointer = await startCheckpointer(port, options.path);
const { services } = createApp({ db, clock: Date.now, config: { ...DEFAULT_CONFIG }, instanceId: 'bench-sweep' });
const { sweeper } = services;

const runsMs: number[] = [];
let evaluated = 0;
let stillDue = 0;
let changed = { devices: 0, opened: 0, escalated: 0, resolved: 0 };
let hotspots: Hotspot[] | null = null;
let statements: StatementCost[] | null = null;
for (let i = 0; i < options.runs; i++) {
  makeAllDue.run();
  await tick();
  const now = Date.now();
  timing?.reset();
  // The profile is of the last run, the one reported: by then nothing changes (steady state).
  const last = i === options.runs - 1;
  const run = await profiled(last ? options.profileFile : null, async () => {
    const t0 = performance.now();
    const summary = await sweeper.sweep(now);
    return { ms: performance.now() - t0, summary };
  });
  if (last) {
    hotspots = run.hotspots;
    statements = timing?.report() ?? null;
  }
  if (i === 0) {
    const s = run.result.summary;
    changed = { devices: s.devicesChanged.length, opened: s.alertsOpened.length, escalated: s.alertsEscalated.length, resolved: s.alertsResolved.length };
  }
  runsMs.push(run.result.ms);
  evaluated = run.result.summary.evaluated;
  stillDue = (due.get(now) as { n: number }).n;
  process.stderr.write(`sweep run ${i + 1}: ${evaluated} devices in ${run.result.ms.toFixed(0)} ms\n`);
}
await checkpointer.stop();
await db.close();
if (options.calendar) {
  const restore = native.prepare('UPDATE policies SET schedule = ?, interval_hours = ? WHERE rowid = ?');
  for (const policy of savedPolicies) restore.run(policy.schedule, policy.interval_hours, policy.r);
}
native.close();
process.stdout.write(JSON.stringify({ runsMs, evaluated, stillDue, changed, hotspots, statements }) + '\n');
