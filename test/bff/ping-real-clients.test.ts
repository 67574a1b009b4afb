/**
 * Ping URLs proven with the real tools, as Debian ships them (installed by
 * scripts/ensure-setup.mjs): borgmatic's `healthchecks` hook around a real borg
 * backup, and a shell wrapper posting `restic backup --json` with curl, against a
 * real BFF process on loopback. Everything runs in temporary folders; no network.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { call, startBff, tempDatabase, type Instance, type TempDatabase } from '../reliability/support/bff-process.ts';

const run = promisify(execFile);
const TOOLS = ['borg', 'borgmatic', 'restic', 'curl'];

interface Job {
  status: string;
  startedAt: string;
  endedAt: string | null;
  bytes: number | null;
  message: string | null;
}

describe('ping URLs with real borgmatic and restic', () => {
  let database: TempDatabase;
  let bff: Instance;
  let work: string;
  let pingBase: string;
  const source = () => join(work, 'source');
  // Borg and restic keep caches and keys under these instead of the home directory.
  const toolEnv = () => ({
    ...process.env,
    BORG_BASE_DIR: join(work, 'borg-home'),
    BORG_RELOCATED_REPO_ACCESS_IS_OK: 'yes',
    BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK: 'yes',
    RESTIC_PASSWORD: 'restic-test-password',
    RESTIC_CACHE_DIR: join(work, 'restic-cache'),
    HOME: work,
  });

  const jobs = async (deviceId: string): Promise<Job[]> => {
    const detail = await call(bff, 'GET', `devices/${deviceId}`);
    assert.equal(detail.status, 200, detail.text);
    return detail.json.jobs;
  };

  async function enroll(deviceId: string) {
    const put = await call(bff, 'PUT', `devices/${deviceId}`, { body: { clientId: 'acme', name: deviceId, kind: 'server', policyId: 'nightly' } });
    assert.equal(put.status, 201, put.text);
  }

  /** A borgmatic 1.7 configuration backing up the source folder to `repository`, pinging `slug`. */
  function borgmaticConfig(name: string, repository: string, slug: string): string {
    const path = join(work, `${name}.yaml`);
    writeFileSync(path, [
      'location:',
      '    source_directories:',
      `        - ${source()}`,
      '    repositories:',
      `        - ${repository}`,
      'retention:',
      '    keep_daily: 7',
      'hooks:',
      '    healthchecks:',
      `        ping_url: ${pingBase}/${slug}`,
      '',
    ].join('\n'));
    return path;
  }

  before(async () => {
    const missing: string[] = [];
    for (const tool of TOOLS) await run('sh', ['-c', `command -v ${tool}`]).catch(() => missing.push(tool));
    assert.deepEqual(missing, [], `Missing ${missing.join(', ')}: run "node scripts/ensure-setup.mjs --browser" as root (it installs Debian's borgbackup, borgmatic, restic and curl).`);

    work = mkdtempSync(join(tmpdir(), 'bh-ping-clients-'));
    mkdirSync(join(source(), 'documents'), { recursive: true });
    writeFileSync(join(source(), 'documents', 'invoice-2026-11.txt'), 'Invoice 2026-11: 1,250.00 EUR\n'.repeat(100));
    writeFileSync(join(source(), 'notes.txt'), 'backup me\n');

    database = tempDatabase('bh-ping-clients-');
    bff = await startBff(database);
    assert.equal((await call(bff, 'PUT', 'clients/acme', { body: { name: 'Acme Dental' } })).status, 201);
    assert.equal((await call(bff, 'PUT', 'policies/nightly', { body: { name: 'Nightly', intervalHours: 24 } })).status, 201);
    const settings = await call(bff, 'GET', 'settings/ingest');
    assert.equal(settings.status, 200, settings.text);
    // PUBLIC_URL is not set for a process on a random port: the URL is built from where it listens.
    pingBase = `${bff.url}/ping/${settings.json.pingKey}`;
  });

  after(async () => {
    await bff?.stop();
    database?.remove();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('borgmatic with its healthchecks hook runs a real borg backup and a successful job appears with its log', async () => {
    await enroll('Backup-Srv');
    const repository = join(work, 'borg-repo');
    await run('borg', ['init', '--encryption=none', repository], { env: toolEnv() });
    const config = borgmaticConfig('good', repository, 'backup-srv');
    await run('borgmatic', ['--config', config, '--monitoring-verbosity', '1', 'create'], { env: toolEnv() });

    const list = await jobs('Backup-Srv');
    assert.equal(list.length, 1, JSON.stringify(list));
    const [job] = list;
    assert.equal(job!.status, 'success');
    assert.ok(Date.parse(job!.startedAt) < Date.parse(job!.endedAt!), 'the start ping and the end ping are one job');
    assert.match(job!.message!, /Creating archive/);
    const archives = await run('borg', ['list', '--short', repository], { env: toolEnv() });
    assert.equal(archives.stdout.trim().split('\n').length, 1, 'borg really made one archive');
  });

  test('borgmatic against a broken repository produces a failed job carrying its log', async () => {
    await enroll('Broken-Srv');
    const notARepository = join(work, 'not-a-repository');
    mkdirSync(notARepository);
    const config = borgmaticConfig('broken', notARepository, 'broken-srv');
    await assert.rejects(run('borgmatic', ['--config', config, 'create'], { env: toolEnv() }), 'borgmatic itself reports the failure');

    const [job, ...rest] = await jobs('Broken-Srv');
    assert.deepEqual(rest, []);
    assert.equal(job!.status, 'failed');
    assert.match(job!.message!, /Error running actions for repository/);
    assert.match(job!.message!, new RegExp(notARepository));
    const device = await call(bff, 'GET', 'devices/Broken-Srv');
    assert.ok(device.json.openAlerts.some((alert: { type: string }) => alert.type === 'backup_failed'), 'the failure alerts like any failed job');
  });

  test('a shell wrapper around restic backup --json posts its summary with curl: a successful job with bytes', async () => {
    await enroll('restic-host');
    const repository = join(work, 'restic-repo');
    await run('restic', ['-r', repository, 'init'], { env: toolEnv() });
    const wrapper = join(work, 'restic-backup.sh');
    writeFileSync(wrapper, [
      '#!/bin/sh',
      '# The cron line of docs/ingest.md: start, back up, report the exit status with restic\'s JSON output.',
      'url="$1"; repository="$2"; folder="$3"; log="$(mktemp)"',
      'curl -fsS -m 10 --retry 3 "$url/start" >/dev/null',
      'restic -r "$repository" backup --json "$folder" >"$log" 2>&1',
      'status=$?',
      'curl -fsS -m 10 --retry 3 --data-binary "@$log" "$url/$status" >/dev/null',
      'rm -f "$log"',
      'exit $status',
      '',
    ].join('\n'));
    chmodSync(wrapper, 0o755);
    await run(wrapper, [`${pingBase}/restic-host`, repository, source()], { env: toolEnv() });

    const [job, ...rest] = await jobs('restic-host');
    assert.deepEqual(rest, []);
    assert.equal(job!.status, 'success');
    assert.equal(job!.bytes, 100 * 'Invoice 2026-11: 1,250.00 EUR\n'.length + 'backup me\n'.length, 'total_bytes_processed of the two files');
    assert.match(job!.message!, /^restic snapshot [0-9a-f]{8}: 2 new, 0 changed, 0 unmodified files/);
    assert.ok(Date.parse(job!.startedAt) <= Date.parse(job!.endedAt!));
  });
});
