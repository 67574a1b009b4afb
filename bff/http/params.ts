/**
 * Request parameters shared by the route declarations: path ids, page sizes,
 * cursors, comma lists and the `client` filter. They are zod schemas, so the
 * OpenAPI document describes exactly what is validated.
 */
import { z } from '@hono/zod-openapi';
import { resourceId } from '../services/inventory-schema.ts';

/** An id in the path of a read: anything longer or empty cannot exist (404 rather than 422). */
export const idParam = z.object({ id: z.string().min(1).max(200).openapi({ param: { name: 'id', in: 'path' } }) });

/** An id in the path of a write: it must be a valid inventory id (422 otherwise). */
export const resourceIdParam = z.object({ id: resourceId.openapi({ param: { name: 'id', in: 'path' } }) });

/** `a,b` or a repeated parameter, each value one of `values`. */
export const commaList = <T extends string>(values: readonly T[], what: string) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((raw) =>
      (Array.isArray(raw) ? raw.join(',') : raw)
        .split(',')
        .map((value) => value.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(values as [T, ...T[]], { error: `Each ${what} must be one of ${values.join(', ')}.` })).max(20))
    .optional()
    .openapi({ type: 'string', description: `Comma list of ${values.join(', ')}.` });

/** A page size from the query string. */
export const limitParam = (fallback: number) =>
  z.coerce
    .number({ error: 'limit must be a number' })
    .int()
    .min(1, 'limit must be at least 1')
    .max(500, 'limit must be at most 500')
    .default(fallback)
    .openapi({ type: 'integer', minimum: 1, maximum: 500, default: fallback });

/** `nextCursor` of the previous page. */
export const cursorParam = z.string().max(2048).optional().openapi({ description: 'nextCursor of the previous page.' });

/** `?client=`: restrict to one client (a client-scoped token is always restricted to its own). */
export const clientQuery = z.object({ client: z.string().min(1).max(200).optional() });
