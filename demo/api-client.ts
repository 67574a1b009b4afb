/**
 * A minimal client of the public HTTP API (`/api/v1`) for the seeder and the
 * simulator: the demo feeds the product only through the API a customer would use.
 */
import type { Problem } from '../core/api.ts';
import type { Answer, Api, BodyOf, Concrete, Method } from '../widgets/shared/api-types.ts';

/** An answer that was not 2xx, with its problem details when the server sent them. */
export class ApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly problem: Problem | null,
  ) {
    const errors = problem?.errors?.slice(0, 3).map((e) => `${e.index ?? e.row ?? ''} ${e.path ?? ''}: ${e.message}`.trim());
    super(`${method} ${path} → ${status}${problem ? ` ${problem.title}${problem.detail ? `: ${problem.detail}` : ''}` : ''}${errors?.length ? ` [${errors.join('; ')}]` : ''}`);
    this.name = 'ApiError';
  }
}

/** Concrete paths (with an optional query string) of the operations with `method`. */
type PathFor<M extends Method> = { [P in keyof Api & string]: M extends keyof Api[P] ? Concrete<P> | `${Concrete<P>}?${string}` : never }[keyof Api & string];
/** The declared Hono path a concrete `path` is an instance of. */
type Declared<S extends string, M extends Method> = {
  [P in keyof Api & string]: M extends keyof Api[P] ? (S extends Concrete<P> | `${Concrete<P>}?${string}` ? P : never) : never;
}[keyof Api & string];
type AnswerAt<S extends string, M extends Method> = Answer<Declared<S, M>, M>;
// A body the handler parses itself (events) is documented but not typed: unknown.
type BodyAt<S extends string, M extends Method> = [BodyOf<Declared<S, M>, M>] extends [never | undefined] ? unknown : BodyOf<Declared<S, M>, M>;

/** Typed from the BFF's route declarations: a path that is not declared, or a body of the wrong shape, does not compile. */
export interface ApiClient {
  get<S extends PathFor<'$get'>>(path: S): Promise<AnswerAt<S, '$get'>>;
  put<S extends PathFor<'$put'>>(path: S, body: BodyAt<S, '$put'>): Promise<AnswerAt<S, '$put'>>;
  post<S extends PathFor<'$post'>>(path: S, body?: BodyAt<S, '$post'>): Promise<AnswerAt<S, '$post'>>;
}

/**
 * @param apiBase e.g. `http://127.0.0.1:8787/api/v1`
 * @param key an API key or token sent as `Authorization: Bearer …`
 */
export function createApiClient(apiBase: string, key: string): ApiClient {
  const base = apiBase.replace(/\/$/, '');
  async function request(method: string, path: string, body?: unknown): Promise<any> {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const type = response.headers.get('content-type') ?? '';
    const payload = type.includes('json') ? await response.json() : await response.text();
    if (!response.ok) throw new ApiError(method, path, response.status, typeof payload === 'object' ? (payload as Problem) : null);
    return response.status === 204 ? undefined : payload;
  }
  return {
    get: (path) => request('GET', path),
    put: (path, body) => request('PUT', path, body),
    post: (path, body) => request('POST', path, body),
  };
}
