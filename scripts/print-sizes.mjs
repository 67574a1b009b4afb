#!/usr/bin/env node
// Prints raw and gzip sizes of the built widget files and fails when the entry module
// (everything a page loads before any chart or export) outgrows its budget.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const DIR = 'dist/widgets';
const ENTRY = 'backup-health.js';
const BUDGET_GZIP_BYTES = 35 * 1024;

let files;
try {
  files = readdirSync(DIR).filter((name) => name.endsWith('.js')).sort((a, b) => (a === ENTRY ? -1 : b === ENTRY ? 1 : a.localeCompare(b)));
} catch {
  console.error(`${DIR} does not exist: run "vite build" first.`);
  process.exit(1);
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
let entryGzip = null;
console.log(`${'file'.padEnd(36)} ${'raw'.padStart(10)} ${'gzip'.padStart(10)}`);
for (const name of files) {
  const body = readFileSync(join(DIR, name));
  // Default level (6), as servers usually compress: the budget should hold on the wire.
  const gzip = gzipSync(body).length;
  if (name === ENTRY) entryGzip = gzip;
  console.log(`${name.padEnd(36)} ${kb(body.length).padStart(10)} ${kb(gzip).padStart(10)}`);
}

if (entryGzip === null) {
  console.error(`${ENTRY} is missing from ${DIR}.`);
  process.exit(1);
}
if (entryGzip > BUDGET_GZIP_BYTES) {
  console.error(`${ENTRY} is ${kb(entryGzip)} gzip, over the ${kb(BUDGET_GZIP_BYTES)} budget.`);
  process.exit(1);
}
console.log(`${ENTRY}: ${kb(entryGzip)} gzip of a ${kb(BUDGET_GZIP_BYTES)} budget.`);
