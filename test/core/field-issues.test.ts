import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { hasControlCharacters, textIssues } from '../../core/field-issues.ts';

const CONTROL = [...Array.from({ length: 0x20 }, (_, i) => i), 0x7f, ...Array.from({ length: 0x20 }, (_, i) => 0x80 + i), 0x2028, 0x2029].map((code) => String.fromCharCode(code));

describe('a one-line text holds no control characters', () => {
  test('C0, DEL, C1 and the Unicode line and paragraph separators anywhere in a one-line text are control characters', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom(...CONTROL), fc.string(), (before, control, after) => {
        assert.equal(hasControlCharacters(before + control + after), true);
        assert.deepEqual(textIssues('name', `x${before}${control}${after}`, 10_000).map((issue) => issue.path), ['name']);
      }),
      { numRuns: 1_000 },
    );
  });

  test('a multi-line text (a note) may break lines and indent with tabs, but not carry escapes', () => {
    assert.equal(hasControlCharacters('first line\r\n\tsecond line', true), false);
    assert.equal(hasControlCharacters('a \u001b[31m red escape', true), true);
    assert.equal(hasControlCharacters('a bell \u0007', true), true);
  });

  test('printable text in any script is not', () => {
    for (const text of ['Acme Corp', 'Müller & Söhne GmbH', 'Łódź – serwer 01', '東京オフィス', 'NAS "archive" #2']) assert.equal(hasControlCharacters(text), false, text);
  });
});
