#!/usr/bin/env node
// `npm run test:soak`: the reliability suite (test/reliability) at full length — a
// 60 s load run, real 30 s outbox claim expiry after each kill -9, more crashes and
// five times the fuzzing, the attack suite (attack-*.test.ts) at the sizes
// (BHM_SOAK=1: 100k devices, 20k-device PDFs) — then one line per file with its figures.
// Arguments are file name filters: `npm run test:soak -- load crash`, or only the
// attack suite: `npm run test:soak -- attack-`.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = 'test/reliability';
const filters = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.test.ts') && (filters.length === 0 || filters.some((x) => f.includes(x))))
  .sort()
  .map((f) => join(dir, f));

const env = {
  ...process.env,
  RELIABILITY_LOAD_SECONDS: process.env.RELIABILITY_LOAD_SECONDS ?? '60',
  RELIABILITY_REAL_TIME: process.env.RELIABILITY_REAL_TIME ?? '1',
  RELIABILITY_CRASHES: process.env.RELIABILITY_CRASHES ?? '6',
  RELIABILITY_FUZZ_SCALE: process.env.RELIABILITY_FUZZ_SCALE ?? '5',
  BHM_SOAK: process.env.BHM_SOAK ?? '1',
};

const started = Date.now();
const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...files], { env, stdio: ['ignore', 'pipe', 'inherit'] });
let out = '';
child.stdout.on('data', (chunk) => {
  out += chunk;
  process.stdout.write(chunk);
});
child.on('close', (code) => {
  const plain = out.replace(/\x1b\[[0-9;]*m/g, '');
  const figures = [...plain.matchAll(/^\[reliability:[^\]]+\].*$/gm)].map((m) => m[0]);
  const pass = [...plain.matchAll(/^ℹ pass (\d+)/gm)].pop()?.[1] ?? '0';
  const fail = [...plain.matchAll(/^ℹ fail (\d+)/gm)].pop()?.[1] ?? '0';
  console.log('\n=== soak figures ===');
  for (const line of figures) console.log(line);
  console.log(`${pass} passed, ${fail} failed (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  process.exit(code ?? 1);
});
