import { msg, str } from '@lit/localize';
import type { Problem } from '../../core/api.ts';

/**
 * An API error carrying the RFC 9457 problem the BFF answered, so the widget can show
 * its title and detail to a person. Network failures become a problem with status 0.
 */
export class ProblemError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ProblemError';
    this.problem = problem;
  }

  get status(): number {
    return this.problem.status;
  }
}

/** 401: the token is missing, expired or invalid. The host mints a new one. */
export class AuthExpiredError extends ProblemError {
  constructor(problem: Problem) {
    super(problem);
    this.name = 'AuthExpiredError';
  }
}

/** A problem for a fetch that never got an answer (offline, CORS, DNS). */
export function unreachableProblem(apiBase: string): Problem {
  return {
    type: 'about:blank',
    title: msg('Backup Health could not be reached'),
    status: 0,
    detail: msg(str`No answer from ${apiBase || msg('this site')}. Check the network connection (and, for another origin, that it allows this page with BHM_CORS_ORIGINS), then try again.`),
  };
}

/** Reads the problem body of a failed response, or describes the status when there is none. */
export async function problemOf(response: Response): Promise<Problem> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body = (await response.json()) as Partial<Problem>;
      if (body && typeof body.title === 'string') return { ...body, type: body.type ?? 'about:blank', title: body.title, status: response.status };
    } catch {
      // Not JSON after all: fall through to a generic description.
    }
  }
  return { type: 'about:blank', title: response.statusText || msg(str`Request failed (${response.status})`), status: response.status };
}

export const isAbortError = (error: unknown): boolean => error instanceof DOMException && error.name === 'AbortError';
