/**
 * Hostile input for the fuzz tests: a small JSON syntax tree that can say what
 * `JSON.stringify` cannot (NaN, Infinity, 1e999, repeated keys, `__proto__` as an
 * own key, nesting thousands deep), and fast-check arbitraries of values an
 * attacker or a broken agent sends: wrong types, huge strings, SQL and HTML
 * payloads, unicode (lone surrogates, right-to-left marks, astral characters),
 * prototype-pollution keys.
 */
import fc from 'fast-check';

/** A bare token written as is: `NaN`, `Infinity`, `1e999`, `-0`. */
export class RawToken {
  constructor(readonly text: string) {}
}
/** An object as an ordered list of entries (keys may repeat, `__proto__` is an ordinary key). */
export class Entries {
  constructor(readonly entries: [string, Json][]) {}
}
/** A value nested `depth` levels deep in arrays or objects, written without recursion. */
export class Deep {
  constructor(
    readonly depth: number,
    readonly as: 'array' | 'object',
  ) {}
}
export type Json = null | boolean | number | string | RawToken | Deep | Entries | Json[];

/** JSON text of `value` (RawToken and Deep written verbatim). */
export function serialize(value: Json): string {
  if (value instanceof RawToken) return value.text;
  if (value instanceof Deep) {
    const [open, close] = value.as === 'array' ? ['[', ']'] : ['{"a":', '}'];
    return open.repeat(value.depth) + '1' + close.repeat(value.depth);
  }
  if (value instanceof Entries) return `{${value.entries.map(([key, item]) => `${JSON.stringify(key)}:${serialize(item)}`).join(',')}}`;
  if (Array.isArray(value)) return `[${value.map(serialize).join(',')}]`;
  if (typeof value === 'string') {
    // JSON.stringify escapes lone surrogates; send them raw sometimes too (\ud800 as an escape is still valid JSON).
    return JSON.stringify(value);
  }
  return JSON.stringify(value);
}

export const object = (record: Record<string, Json>): Entries => new Entries(Object.entries(record));

export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

const payloadStrings = fc.constantFrom(
  "'; DROP TABLE jobs; --",
  "1' OR '1'='1",
  '" OR ""="',
  "') UNION SELECT key_hash, scopes FROM api_keys --",
  '<script>alert(document.cookie)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg/onload=alert(1)>',
  '{{constructor.constructor("return process")()}}',
  '${process.exit(1)}',
  '=HYPERLINK("http://evil.example","x")',
  "=cmd|' /C calc'!A0",
  '../../../../etc/passwd',
  'javascript:alert(1)',
  'file:///etc/passwd',
  '\u0000',
  'a\u0000b',
  '\u202eevil',
  '\ud800',
  '\udfff\ud800',
  '𝕏😀👩‍👩‍👧',
  'ǅ̶̡̛̗̝̀̓ͅ',
  '',
  ' ',
  '\r\n\r\n',
  ...PROTOTYPE_KEYS,
  'toString',
  'hasOwnProperty',
  'null',
  'NaN',
  'Infinity',
  '1e999',
);

/** Strings an attacker sends: payloads, arbitrary unicode, and very long ones. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: payloadStrings },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.integer({ min: 201, max: 200_000 }).map((n) => 'x'.repeat(n)) },
);

/** Numbers JSON can and cannot carry. */
export const hostileNumber: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(new RawToken('NaN'), new RawToken('Infinity'), new RawToken('-Infinity'), new RawToken('1e999'), new RawToken('-1e999'), new RawToken('-0')),
  fc.constantFrom<Json>(-1, 0, 0.5, 1e308, -1e308, 2 ** 53, 2 ** 53 + 2, 2 ** 63, Number.MIN_VALUE),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

/** Any hostile value: wrong types, deep nesting, polluting objects. */
export const hostileValue: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { weight: 4, arbitrary: hostileString },
    { weight: 3, arbitrary: hostileNumber },
    { weight: 1, arbitrary: fc.constantFrom<Json>(null, true, false) },
    { weight: 1, arbitrary: fc.record({ depth: fc.integer({ min: 2, max: 20_000 }), as: fc.constantFrom<'array' | 'object'>('array', 'object') }).map(({ depth, as }) => new Deep(depth, as)) },
    { weight: 1, arbitrary: fc.array(tie('value'), { maxLength: 3 }) },
    {
      weight: 1,
      arbitrary: fc
        .array(fc.tuple(fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS, 'isAdmin', 'tenantId'), fc.string({ maxLength: 8 })), tie('value')), { maxLength: 3 })
        .map((entries) => new Entries(entries)),
    },
  ),
})).value;

/**
 * A mutation of a valid object: some fields replaced with hostile values or dropped,
 * prototype-pollution keys and repeated keys added.
 */
export function mutated(valid: Record<string, Json>): fc.Arbitrary<Entries> {
  const keys = Object.keys(valid);
  return fc
    .record({
      replaced: fc.dictionary(fc.constantFrom(...keys), hostileValue, { maxKeys: 3 }),
      dropped: fc.subarray(keys, { maxLength: 2 }),
      extra: fc.array(fc.tuple(fc.constantFrom(...PROTOTYPE_KEYS, ...keys), hostileValue), { maxLength: 2 }),
    })
    .map(({ replaced, dropped, extra }) => {
      const entries: [string, Json][] = [];
      for (const key of keys) {
        if (dropped.includes(key)) continue;
        entries.push([key, Object.hasOwn(replaced, key) ? replaced[key]! : valid[key]!]);
      }
      return new Entries([...entries, ...extra]);
    });
}

/** Counts the inputs tried per category. */
export class InputCounter {
  readonly counts = new Map<string, number>();
  add(category: string): void {
    this.counts.set(category, (this.counts.get(category) ?? 0) + 1);
  }
  get total(): number {
    return [...this.counts.values()].reduce((a, b) => a + b, 0);
  }
}
