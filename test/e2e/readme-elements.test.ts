// The README's custom-elements tables list every element the widgets define, and no
// element that is not defined (issue #13: "the custom-elements table lists every element").
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const root = resolve(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'locales' ? [] : sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

test("every custom element defined under widgets/ has a row in the README's tables", () => {
  const defined = new Set(
    sources(join(root, 'widgets')).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/(?:\.define|defineElement|customElements\.define)\(\s*'([a-z][a-z0-9]*-[a-z0-9-]+)'/g)].map(([, tag]) => tag!)),
  );
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const listed = new Set([...readme.matchAll(/^\| `<([a-z][a-z0-9]*-[a-z0-9-]+)>` \|/gm)].map(([, tag]) => tag!));
  assert.ok(defined.size > 20, `found the definitions (${defined.size})`);
  assert.deepEqual([...defined].filter((tag) => !listed.has(tag)).sort(), [], 'defined but not in the README');
  assert.deepEqual([...listed].filter((tag) => !defined.has(tag)).sort(), [], 'in the README but not defined');
});
