#!/usr/bin/env node
// Installs what a fresh clone lacks before `npm start` / `npm test`:
// dependencies (npm ci) and, with --browser, Debian's Chromium and poppler-utils, and
// the real backup clients the ping tests drive (borgbackup, borgmatic, restic, curl).
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const needBrowser = process.argv.includes('--browser');

function run(command) {
  console.log(`[setup] ${command}`);
  execSync(command, { stdio: 'inherit' });
}

function dependenciesStale() {
  const marker = 'node_modules/.package-lock.json';
  if (!existsSync(marker)) return true;
  return statSync('package-lock.json').mtimeMs > statSync(marker).mtimeMs + 1000;
}

if (dependenciesStale()) run('npm ci --no-audit --no-fund');

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const chrome = process.env.CHROME_PATH || '/usr/bin/chromium';
const onPath = (command) => (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, command)));
// Debian package → the command it provides.
const testTools = { borgbackup: 'borg', borgmatic: 'borgmatic', restic: 'restic', curl: 'curl' };
const missingTools = () => Object.entries(testTools).filter(([, command]) => !onPath(command)).map(([pkg]) => pkg);
const missing = [];
if (needBrowser && !existsSync(chrome)) missing.push('chromium');
if (needBrowser && !existsSync('/usr/bin/pdftotext')) missing.push('poppler-utils');
if (needBrowser) missing.push(...missingTools());

if (missing.length > 0) {
  if (!isRoot) {
    console.error(
      `[setup] Missing ${missing.join(', ')}. Install Debian's packages (apt-get install -y ${missing.join(' ')})` +
        (missing.includes('chromium') ? ' or set CHROME_PATH to a Chromium/Chrome binary.' : '.'),
    );
    process.exit(1);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execSync(`apt-get install -y --no-install-recommends ${missing.join(' ')}`, { stdio: 'inherit', env });
  } catch {
    run('apt-get update');
    execSync(`apt-get install -y --no-install-recommends ${missing.join(' ')}`, { stdio: 'inherit', env });
  }
  // Skip nothing: a client apt-get could not provide fails the set-up here, not a test later.
  const stillMissing = needBrowser ? missingTools() : [];
  if (stillMissing.length > 0) {
    console.error(`[setup] ${stillMissing.join(', ')} could not be installed; the ping tests need these real clients (apt-get install -y ${stillMissing.join(' ')}).`);
    process.exit(1);
  }
}
