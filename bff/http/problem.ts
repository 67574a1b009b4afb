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
  /** Headers the answer carries besides the problem (Retry-After). */
  readonly headers: Record<string, string>;

  constructor(status: ContentfulStatusCode, slug: string, title: string, detail?: string, errors?: Problem['errors'], headers: Record<string, string> = {}) {
    super(detail ?? title);
    this.status = status;
    this.problem = { type: TYPE_BASE + slug, title, status, ...(detail ? { detail } : {}), ...(errors ? { errors } : {}) };
    this.headers = headers;
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
/** A JSON body sent under another media type (or none): the same answer from every JSON route. */
export const notJson = () =>
  new ProblemError(415, 'unsupported-media-type', 'Unsupported media type', 'Send the body as JSON with "Content-Type: application/json".');
export const tooManyRequests = (detail: string, retryAfterSeconds: number) =>
  new ProblemError(429, 'too-many-requests', 'Too many requests', detail, undefined, { 'Retry-After': String(retryAfterSeconds) });
/** Most entries an `errors` list holds (docs/security.md); `errorCount` then tells how many there were. */
export const MAX_LISTED_ERRORS = 100;

/** A 422 listing at most the first 100 of `errorCount` errors. */
export function unprocessable(detail: string, errors?: Problem['errors'], errorCount = errors?.length ?? 0): ProblemError {
  const error = new ProblemError(422, 'validation-failed', 'The request is not valid', detail, errors?.slice(0, MAX_LISTED_ERRORS));
  if (errorCount > MAX_LISTED_ERRORS) error.problem.errorCount = errorCount;
  return error;
}

/** Writes a problem response. */
export function problemResponse(c: Context, status: ContentfulStatusCode, problem: Problem, headers: Record<string, string> = {}): Response {
  return c.body(JSON.stringify(problem), status, { ...headers, 'Content-Type': 'application/problem+json' });
}
