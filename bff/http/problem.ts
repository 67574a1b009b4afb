/**
 * RFC 9457 problem details: every error the API answers is one of these, with a
 * title and detail a person can act on.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Problem } from '../../core/api.ts';

const TYPE_BASE = 'https://backup-health.dev/problems/';

export class ProblemError extends Error {
  readonly status: ContentfulStatusCode;
  readonly problem: Problem;

  constructor(status: ContentfulStatusCode, slug: string, title: string, detail?: string, errors?: Problem['errors']) {
    super(detail ?? title);
    this.status = status;
    this.problem = { type: TYPE_BASE + slug, title, status, ...(detail ? { detail } : {}), ...(errors ? { errors } : {}) };
  }
}

export const badRequest = (detail: string, errors?: Problem['errors']) =>
  new ProblemError(400, 'bad-request', 'The request could not be read', detail, errors);
export const unauthorized = (detail: string, slug = 'unauthorized') =>
  new ProblemError(401, slug, 'Authentication required', detail);
export const forbidden = (detail: string) => new ProblemError(403, 'forbidden', 'Not allowed', detail);
export const notFound = (what: string) => new ProblemError(404, 'not-found', 'Not found', `${what} does not exist.`);
export const conflict = (detail: string) => new ProblemError(409, 'conflict', 'Conflict', detail);
export const tooLarge = (detail: string) => new ProblemError(413, 'payload-too-large', 'Request body too large', detail);
export const unprocessable = (detail: string, errors?: Problem['errors']) =>
  new ProblemError(422, 'validation-failed', 'The request is not valid', detail, errors);

/** 429: a cap is reached; `retryAfterS` becomes the Retry-After header. */
export const tooMany = (detail: string, retryAfterS: number) => new BusyError(detail, retryAfterS);

export class BusyError extends ProblemError {
  constructor(
    detail: string,
    readonly retryAfterS: number,
  ) {
    super(429, 'too-many-requests', 'Too many requests', detail);
  }
}

/** Writes a problem response. */
export function problemResponse(c: Context, status: ContentfulStatusCode, problem: Problem, headers: Record<string, string> = {}): Response {
  return c.body(JSON.stringify(problem), status, { ...headers, 'Content-Type': 'application/problem+json' });
}
