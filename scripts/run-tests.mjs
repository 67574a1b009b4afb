#!/usr/bin/env node
// `npm test`: typecheck, node-side suites, widget suites in Chromium, end-to-end.
// Prints one closing line "N passed, N failed" over every suite.
import { execSync, spawn } from 'node:child_process';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const only = process.argv.slice(2);
const testFiles = (dir) =>
  existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.test.ts')).sort().map((f) => join(dir, f)) : [];

const suites = [
  { name: 'typecheck', cmd: 'npx', args: ['tsc', '--noEmit', '-p', '.'], counts: false },
  { name: 'core', files: testFiles('test/core') },
  { name: 'bff', files: testFiles('test/bff') },
  { name: 'widgets', cmd: 'npx', args: ['wtr', '--static-logging'], wtr: true, when: () => testFiles('test/widgets').length > 0 },
  { name: 'e2e', files: testFiles('test/e2e') },
  { name: 'reliability', files: testFiles('test/reliability') },
  // The lighter part of the scale-out suite: the remote database path against a real sqld.
  { name: 'scale', files: ['test/scale/remote-db.test.ts', 'test/scale/replicas.test.ts'], before: 'node scripts/ensure-sqld.mjs' },
].filter((s) => only.length === 0 || only.includes(s.name));

// A suite that hangs (a wedged browser or sqld) is stopped and counted as failed
// rather than holding the run until CI's own limit.
const SUITE_LIMIT_MS = Number(process.env.BHM_TEST_SUITE_LIMIT_S ?? 600) * 1000;
let running = null;
const stopGroup = (child) => {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
};
// Ctrl-C reaches our process group only: take the suite's group down with us.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (running) stopGroup(running);
    process.exit(130);
  });
}

function runSuite(suite) {
  const cmd = suite.cmd ?? process.execPath;
  const args = suite.args ?? ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...suite.files];
  return new Promise((resolve) => {
    // Its own process group, so the limit stops the suite's children too.
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env, detached: true });
    running = child;
    const limit = setTimeout(() => {
      process.stderr.write(`\n${suite.name}: still running after ${SUITE_LIMIT_MS / 1000} s; stopped (BHM_TEST_SUITE_LIMIT_S sets the limit)\n`);
      stopGroup(child);
    }, SUITE_LIMIT_MS);
    let out = '';
    const tee = (stream, target) =>
      stream.on('data', (chunk) => {
        out += chunk;
        target.write(chunk);
      });
    tee(child.stdout, process.stdout);
    tee(child.stderr, process.stderr);
    child.on('close', (code) => {
      clearTimeout(limit);
      running = null;
      resolve({ code: code ?? 1, out });
    });
  });
}

function count(suite, out) {
  const plain = out.replace(/\x1b\[[0-9;]*m/g, '');
  if (suite.wtr) {
    const m = [...plain.matchAll(/(\d+) passed, (\d+) failed/g)].pop();
    return m ? { passed: +m[1], failed: +m[2] } : { passed: 0, failed: 0 };
  }
  const pass = [...plain.matchAll(/^ℹ pass (\d+)/gm)].pop();
  const fail = [...plain.matchAll(/^ℹ fail (\d+)/gm)].pop();
  return { passed: pass ? +pass[1] : 0, failed: fail ? +fail[1] : 0 };
}

/**
 * The failures of a suite, short, for the summary: CI keeps only the tail of the log,
 * so a failure must be named at the end, not only where it happened.
 */
function failures(suite, out) {
  const lines = out.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').split('\n');
  const picked = [];
  if (suite.wtr) {
    // "❌ suite > test" followed by its error and stack, indented.
    let file = '';
    lines.forEach((line, i) => {
      if (/^\S.*\.test\.ts:\s*$/.test(line)) file = line.trim();
      if (line.includes('❌')) picked.push(file, ...lines.slice(i, i + 6));
    });
  } else {
    const start = lines.findIndex((line) => line.startsWith('✖ failing tests:'));
    if (start >= 0) picked.push(...lines.slice(start + 1).filter((line) => !/^ℹ /.test(line)));
  }
  return picked.filter((line) => line.trim() !== '').slice(0, 60);
}

let passed = 0;
let failed = 0;
const lines = [];
let exitCode = 0;
for (const suite of suites) {
  if (suite.files && suite.files.length === 0) continue;
  if (suite.when && !suite.when()) continue;
  console.log(`\n=== ${suite.name} ===`);
  if (suite.before) execSync(suite.before, { stdio: 'inherit' });
  const started = Date.now();
  const { code, out } = await runSuite(suite);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (suite.counts === false) {
    lines.push(`${suite.name}: ${code === 0 ? 'clean' : 'FAILED'} (${seconds}s)`);
    if (code !== 0) exitCode = 1;
    continue;
  }
  const c = count(suite, out);
  if (code !== 0 && c.failed === 0) c.failed = 1; // a crash counts as a failure
  passed += c.passed;
  failed += c.failed;
  if (code !== 0) exitCode = 1;
  lines.push(`${suite.name}: ${c.passed} passed, ${c.failed} failed (${seconds}s)`);
  if (c.failed > 0) lines.push(...failures(suite, out).map((line) => `  | ${line}`));
}
console.log('\n=== summary ===');
for (const line of lines) console.log(line);
console.log(`${passed} passed, ${failed} failed`);
process.exit(exitCode || (failed > 0 ? 1 : 0));
