/**
 * The build's CSS-literal minifier (scripts/vite-minify-css-literals.mjs): it may only
 * drop whitespace and comments from the styles, never change an interpolation.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { collapseCss, minifyCssLiterals } from '../../scripts/vite-minify-css-literals.mjs';

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []));
const expressions = (code: string) => [...code.matchAll(/\$\{[^}]*\}/g)].map((match) => match[0]);

test('collapses whitespace and comments, keeping values, strings and calc() spacing', () => {
  assert.equal(
    collapseCss(`
    /* why */
    .a > .b,
    .c:hover {
      border: 1px solid var(--_border);
      width: calc(100% - var(--_space) * 2);
      grid-template-areas: 'status score' 'name name';
    }
    @media (max-width: 600px) { .a { display: none; } }
  `),
    ".a>.b,.c:hover{border:1px solid var(--_border);width:calc(100% - var(--_space) * 2);grid-template-areas:'status score' 'name name';}@media (max-width:600px){.a{display:none;}}",
  );
});

test('every widget source keeps its interpolations, and only css`…` templates change', () => {
  let minified = 0;
  for (const file of sources('widgets')) {
    const code = readFileSync(file, 'utf8');
    const out = minifyCssLiterals(code);
    if (out === null) continue;
    minified += 1;
    assert.deepEqual(expressions(out), expressions(code), file);
    assert.ok(out.length < code.length, file);
    // Outside the css templates nothing changes: the code before the first one is identical.
    assert.equal(out.slice(0, code.indexOf('css`')), code.slice(0, code.indexOf('css`')), file);
  }
  assert.ok(minified >= 8, `${minified} files with styles`);
});
