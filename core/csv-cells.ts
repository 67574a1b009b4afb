/**
 * Which CSV cells a spreadsheet would run as a formula. Only the first character
 * counts: papaparse's default pattern (`^[=+\-@\t\r].*$`) has no `s` flag, so a
 * name like `=HYPERLINK(…)` followed by a line break slipped through unescaped.
 * Pass this as papaparse's `escapeFormulae`; it prefixes matching cells with `'`.
 */
export const FORMULA_CELL = /^[=+\-@\t\r]/;
