/**
 * Route declarations: `apiRoute(access, errors, config)` is `createRoute` plus what
 * every operation of this API shares — the security it accepts, the middleware
 * enforcing its scope, and a problem+json response for each error status it can
 * answer. `router()` is a sub-app whose validation failures are 422 problems naming
 * each field. Responses are not validated at run time (the contract test does that).
 */
import { createRoute, OpenAPIHono, z, type RouteConfig } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { SchemaObject, SecurityRequirementObject } from 'openapi3-ts/oas31';
import { ProblemSchema } from '../../contract/common.ts';
import type { AppEnv, Scope } from '../context.ts';
import { requirePlatform, requireScope } from './auth.ts';
import { issuesToErrors } from './validate.ts';
import { unprocessable } from './problem.ts';

/** Who may call an operation: nobody needs a credential (`public`), any credential (`any`), the platform key, or a tenant scope. */
export type Access = 'public' | 'any' | 'platform' | Scope;

/** Error statuses an operation documents (401, 403 and 429 are added from its access). */
export type ErrorStatus = 400 | 403 | 404 | 409 | 413 | 415 | 422 | 503;

const ERROR_TEXT: Record<ErrorStatus | 401 | 429, string> = {
  400: 'The request could not be read (malformed JSON, invalid cursor).',
  401: 'Missing, invalid or expired credential.',
  403: 'The credential lacks the required scope.',
  404: 'Not found (or belongs to another tenant or client).',
  409: 'Conflicts with the current state.',
  413: 'Request body too large.',
  415: 'Unsupported media type.',
  422: 'Validation failed; `errors` names each invalid field.',
  429: 'Too many failed authentications from this address or with this credential, or (streams, exports) too many open at once; retry after `Retry-After` seconds.',
  503: 'Not ready.',
};

const problem = (status: keyof typeof ERROR_TEXT) => ({
  description: ERROR_TEXT[status],
  content: { 'application/problem+json': { schema: ProblemSchema } },
});

type Declared = Omit<RouteConfig, 'security' | 'middleware'>;

/** What `apiRoute` adds to a declaration, as the type system sees it. */
// A type alias, not an interface: object literal types satisfy RouteConfig's `x-*` index signature.
type Secured = { security: SecurityRequirementObject[] };

/**
 * `createRoute` with the access rule, its middleware and the documented problem
 * responses. The returned type is the declaration as written (plus its security):
 * handlers answer only the declared success responses (errors are thrown as
 * problems), and the scope middleware stays out of the handler's typed env.
 */
export function apiRoute<P extends string, R extends Declared & { path: P }>(access: Access, errors: readonly ErrorStatus[], config: R): R & Secured {
  const statuses: (keyof typeof ERROR_TEXT)[] = [...(access === 'public' ? [] : access === 'any' ? [401 as const, 429 as const] : [401 as const, 403 as const, 429 as const]), ...errors];
  const security: SecurityRequirementObject[] = access === 'public' ? [] : access === 'read' ? [{ bearer: [] }, { integrationKey: [] }] : [{ bearer: [] }];
  const middleware: MiddlewareHandler<AppEnv>[] =
    access === 'public' || access === 'any' ? [] : access === 'platform' ? [requirePlatform()] : [requireScope(access)];
  const responses: RouteConfig['responses'] = { ...config.responses };
  for (const status of statuses) responses[status] = problem(status);
  const route: R & Secured = { ...config, security };
  return createRoute({ ...route, 'x-required-scope': access, middleware, responses });
}

/** A sub-app of the API: zod validation failures answer 422 naming each invalid field. */
export function router(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const where = result.target === 'json' ? 'body' : result.target;
        throw unprocessable(`The ${where} has ${result.error.issues.length} invalid field(s).`, issuesToErrors(result.error.issues));
      }
    },
  });
}

/** A JSON response declaration. */
export const json = <S>(description: string, schema: S) => ({ description, content: { 'application/json': { schema } } });

/**
 * A body or parameter the handler reads itself (to keep its own error answers), as
 * JSON Schema: documented from the zod schema without `createRoute` validating it.
 */
export function documentedOnly(schema: z.ZodType): SchemaObject {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return rest as SchemaObject;
}
