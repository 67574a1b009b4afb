// The German catalog is in step with the sources: `lit-localize extract` run now yields
// exactly the committed xliff/de.xlf, every message has a German target, and the
// generated widgets/locales/de.ts holds every one of them (else: npm run
// localize:extract, translate the new <target>s, npm run localize:build).
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

const root = resolve(import.meta.dirname, '../..');
const committed = readFileSync(join(root, 'xliff/de.xlf'), 'utf8');
const units = [...committed.matchAll(/<trans-unit id="([^"]+)">([\s\S]*?)<\/trans-unit>/g)].map(([, id, body]) => ({ id: id!, body: body! }));

test('every message of the sources is in xliff/de.xlf, and nothing else (lit-localize extract changes nothing)', { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bh-localize-'));
  try {
    copyFileSync(join(root, 'xliff/de.xlf'), join(dir, 'de.xlf'));
    const config = JSON.parse(readFileSync(join(root, 'lit-localize.json'), 'utf8'));
    config.tsConfig = join(root, config.tsConfig);
    config.output.outputDir = join(dir, 'out');
    delete config.output.localeCodesModule;
    config.interchange.xliffDir = dir;
    writeFileSync(join(dir, 'lit-localize.json'), JSON.stringify(config));
    await promisify(execFile)(process.execPath, [join(root, 'node_modules/@lit/localize-tools/bin/lit-localize.js'), 'extract', '--config', join(dir, 'lit-localize.json')], { cwd: root });
    assert.equal(readFileSync(join(dir, 'de.xlf'), 'utf8'), committed, 'xliff/de.xlf is out of date: run npm run localize:extract and translate the new messages');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every message has a German target', () => {
  assert.ok(units.length > 100);
  const untranslated = units.filter((unit) => !/<target>[\s\S]+<\/target>/.test(unit.body)).map((unit) => unit.body.trim());
  assert.deepEqual(untranslated, []);
});

test('widgets/locales/de.ts holds every message of xliff/de.xlf (npm run localize:build has run)', () => {
  const generated = readFileSync(join(root, 'widgets/locales/de.ts'), 'utf8');
  const keys = [...generated.matchAll(/^\s*'([sh][0-9a-f]+)':/gm)].map(([, id]) => id);
  assert.deepEqual(keys.sort(), units.map((unit) => unit.id).sort());
});
