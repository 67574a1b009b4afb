/**
 * core/ stays pure (STYLE.md rule 2): no I/O, no clock, no randomness, and no
 * imports other than its own files.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const coreDir = fileURLToPath(new URL('../../core/', import.meta.url));
const files = readdirSync(coreDir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));

function specifiers(source: string): string[] {
  const patterns = [/\bfrom\s+['"]([^'"]+)['"]/g, /\bimport\s+['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]/g, /\brequire\s*\(\s*['"]([^'"]+)['"]/g];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((match) => match[1]!));
}

describe('core purity', () => {
  test('core has source files to check', () => {
    assert.ok(files.includes('index.ts') && files.includes('health.ts'));
  });

  for (const file of files) {
    const source = readFileSync(join(coreDir, file), 'utf8');

    test(`${file} imports only sibling core files`, () => {
      // Type-only imports are erased: the wire types (api.ts) are z.infer of the contract's schemas.
      const runtime = source.replace(/^(import|export) type [^;]+;$/gm, '');
      for (const specifier of specifiers(runtime)) {
        assert.match(specifier, /^\.\/[\w.-]+\.ts$/, `${file} imports "${specifier}"`);
      }
      assert.doesNotMatch(source, /\bimport\s*\(/, `${file} has a dynamic import`);
    });

    test(`${file} reads no clock, randomness or process state`, () => {
      assert.doesNotMatch(source, /Date\.now\s*\(/);
      assert.doesNotMatch(source, /new\s+Date\s*\(\s*\)/);
      assert.doesNotMatch(source, /Math\.random/);
      assert.doesNotMatch(source, /\bprocess\./);
      assert.doesNotMatch(source, /\bperformance\.now/);
    });
  }
});
