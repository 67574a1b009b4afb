/**
 * Building blocks of the wire schemas: problem details, references, pages, times and
 * the shared vocabularies as zod schemas. `z` is zod extended with `.openapi()`.
 */
import { z } from '@hono/zod-openapi';
import { CLOCK_TIME_PATTERN, isTimeZone, TICKET_PRIORITIES, WEEKDAYS } from '../core/api.ts';

export { z };

/** An ISO-8601 UTC time. */
export const isoTime = z.string().openapi({ format: 'date-time' });

/**
 * A time a request gives: ISO-8601 with seconds and an offset (`Z`, `+01:00`). Without
 * an offset the server would read it in its own timezone, and looser forms
 * (`1/2/2030`, `2030`) mean different instants to different readers (docs/decisions.md).
 */
export const isoTimeWithOffset = (name: string) =>
  z.iso
    .datetime({ offset: true, error: `${name} must be an ISO-8601 time with an offset such as Z or +01:00, e.g. "2030-01-01T10:00:00Z"` })
    .openapi({ format: 'date-time', example: '2030-01-01T10:00:00Z' });

/** RFC 9457 problem details: every error the API answers. */
export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    /** Per-item errors, e.g. `{ index: 3, path: 'endedAt', message: '…' }` for a batch. */
    errors: z
      .array(z.object({ index: z.number().int().optional(), row: z.number().int().optional(), path: z.string().optional(), message: z.string() }))
      .optional(),
    /** How many errors there were when `errors` lists only the first 100. */
    errorCount: z.number().int().optional(),
  })
  .openapi('Problem', { description: 'RFC 9457 problem details.' });

export const RefSchema = z.object({ id: z.string(), name: z.string() }).openapi('Ref');

/**
 * `schema | null` for a named (component) schema: written as a union because the
 * generator renders `.nullable()` of a reference as an `allOf` no value satisfies.
 */
export const orNull = <T extends z.ZodType>(schema: T) => z.union([schema, z.null()]);

/** A keyset page: `nextCursor` is opaque; pass it as `cursor` for the next page. */
export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const ticketPriority = z.enum(TICKET_PRIORITIES);
export const weekday = z.enum(WEEKDAYS, { error: `must be one of ${WEEKDAYS.join(', ')}` });
/** "HH:MM" (00:00–23:59, or 24:00 for the end of the day). */
export const clockTime = z.string().regex(CLOCK_TIME_PATTERN, 'Use "HH:MM", 24-hour, 00:00–24:00, e.g. "08:00".');
/** An IANA time zone name the runtime knows. */
export const timeZone = z.string().max(100).refine(isTimeZone, 'Use an IANA time zone such as "Europe/Berlin".');
