/**
 * zod validation at the edge. Failures become 422 problems listing every issue;
 * unreadable JSON becomes 400.
 */
import type { ValidationTargets } from 'hono';
import { zValidator } from '@hono/zod-validator';
import type { ZodType } from 'zod';
import type { Problem } from '../../core/api.ts';
import { unprocessable } from './problem.ts';

/** Turns zod issues into problem `errors`; a leading numeric path segment becomes `index`. */
export function issuesToErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[], indexed = false): NonNullable<Problem['errors']> {
  return issues.map((issue) => {
    const path = issue.path.map(String);
    if (indexed && path.length > 0 && /^\d+$/.test(path[0]!)) {
      return { index: Number(path[0]), path: path.slice(1).join('.') || undefined, message: issue.message } as const;
    }
    return { path: path.join('.') || undefined, message: issue.message };
  }) as NonNullable<Problem['errors']>;
}

/** `zValidator` that throws a 422 problem naming each invalid field. */
export const validate = <T extends ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) =>
  zValidator(target, schema, (result) => {
    if (!result.success) {
      throw unprocessable(`The ${target === 'json' ? 'body' : target} has ${result.error.issues.length} invalid field(s).`, issuesToErrors(result.error.issues));
    }
  });
