#!/usr/bin/env node
// Compiles the BFF (and the demo that embeds it) to plain JavaScript in dist/server/, so
// production runs `node`, not a TypeScript loader. Dependencies stay external (node_modules);
// files the code reads relative to its own module (migrations, the demo's public folder)
// are copied beside the bundles. Skips the work when no source changed since the last build.
import { build } from 'esbuild';
import { cpSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const OUT = 'dist/server';
// The render worker is its own bundle beside the server's: render-pool.ts starts it by that name.
const ENTRIES = { server: 'bff/server.ts', demo: 'demo/main.ts', 'render-worker': 'bff/services/exports/render-worker.ts' };
const SOURCES = ['core', 'bff', 'demo'];

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const stamp = join(OUT, 'server.js');
const upToDate =
  !process.argv.includes('--force') &&
  existsSync(stamp) &&
  existsSync(join(OUT, 'demo.js')) &&
  existsSync(join(OUT, 'render-worker.js')) &&
  Math.max(...SOURCES.map(newestMtime), statSync('package-lock.json').mtimeMs) < statSync(stamp).mtimeMs;

if (!upToDate) {
  const started = Date.now();
  rmSync(OUT, { recursive: true, force: true });
  await build({
    entryPoints: ENTRIES,
    outdir: OUT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  // Read at run time relative to the module: bff/db/migrate.ts and demo/app.ts.
  cpSync('bff/db/migrations', join(OUT, 'migrations'), { recursive: true });
  cpSync('demo/public', join(OUT, 'public'), { recursive: true });
  if (!process.argv.includes('--quiet')) console.log(`[build] server compiled to ${OUT}/ in ${Date.now() - started} ms`);
}
