/**
 * Opaque keyset cursors: base64url of the last row's sort values plus the sort they
 * were made for, so a cursor from another sort or a tampered one is a 400, not a
 * silently wrong page.
 */
import { badRequest } from '../http/problem.ts';

export type CursorValue = string | number | null;

export interface Cursor {
  /** The sort (and order) the cursor belongs to, e.g. "score:asc". */
  sort: string;
  /** The last row's sort key values, the tie-breaking id last. */
  values: CursorValue[];
}

/** Encodes the position after a row. */
export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, ...cursor.values]), 'utf8').toString('base64url');
}

/** The 400 problem for a cursor that does not fit the list. */
export const invalidCursor = () =>
  badRequest('The cursor is not valid for this list and sort; start again without "cursor" and follow "nextCursor".');

const isCursorValue = (value: unknown): value is CursorValue =>
  value === null || typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));

/**
 * Decodes a cursor made by `encodeCursor` for `sort`; `arity` is how many values it
 * must carry. Anything else is a 400 problem that tells the caller what to do.
 */
export function decodeCursor(raw: string, sort: string, arity: number): CursorValue[] {
  const invalid = invalidCursor;
  if (!/^[A-Za-z0-9_-]{1,2048}$/.test(raw)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== arity + 1 || parsed[0] !== sort) throw invalid();
  const values = parsed.slice(1);
  if (!values.every(isCursorValue)) throw invalid();
  return values;
}
