/**
 * `npm run bench:scale`: the scale-out figures, one script after another (each its own
 * process; sqld is installed first by scripts/ensure-sqld.mjs):
 *   sqld      bench/scale/sqld.ts      database-level figures, sqld vs a local file
 *   cluster   bench/scale/cluster.ts   1–3 instances (tsx) over one sqld, vs a local file
 *   replicas  bench/scale/replicas.ts  the compiled server over a local file, sqld, and sqld + embedded replica
 *
 *   npm run bench:scale                        everything, full size (100k-device fleet for replicas)
 *   npm run bench:scale -- --quick             smaller runs of all three (10k devices; ~3 min)
 *   npm run bench:scale -- --only replicas     one of them; other flags go to replicas.ts (--devices, --events, --duration, …)
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const onlyAt = argv.indexOf('--only');
const only = onlyAt >= 0 ? argv[onlyAt + 1] : undefined;
const rest = onlyAt < 0 ? argv : argv.filter((_, i) => i !== onlyAt && i !== onlyAt + 1);
const STEPS: Record<string, string[]> = {
  sqld: ['bench/scale/sqld.ts', ...(quick ? ['--rows', '50000'] : [])],
  cluster: ['bench/scale/cluster.ts', ...(quick ? ['--duration', '3', '--max', '2'] : [])],
  replicas: ['bench/scale/replicas.ts', ...rest],
};
if (only !== undefined && !(only in STEPS)) throw new Error(`--only takes one of ${Object.keys(STEPS).join(', ')}`);

let failed = false;
for (const [name, args] of Object.entries(STEPS)) {
  if (only !== undefined && name !== only) continue;
  const started = performance.now();
  process.stderr.write(`\n=== bench:scale ${name} (${args.join(' ')})\n`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', ...args], { cwd: root, stdio: 'inherit' });
  process.stderr.write(`=== ${name}: ${run.status === 0 ? 'done' : `failed (${run.status ?? run.signal})`} in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  if (run.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
