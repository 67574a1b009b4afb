/**
 * A minimal client of the public HTTP API (`/api/v1`) for the seeder and the
 * simulator: the demo feeds the product only through the API a customer would use.
 */
import type { Problem } from '../core/api.ts';

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

export interface ApiClient {
  /** Sends `body` as JSON and parses a JSON answer (undefined for 204). */
  request<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  get<T = unknown>(path: string): Promise<T>;
  put<T = unknown>(path: string, body: unknown): Promise<T>;
  post<T = unknown>(path: string, body?: unknown): Promise<T>;
}

/**
 * @param apiBase e.g. `http://127.0.0.1:8787/api/v1`
 * @param key an API key or token sent as `Authorization: Bearer …`
 */
export function createApiClient(apiBase: string, key: string): ApiClient {
  const base = apiBase.replace(/\/$/, '');
  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const type = response.headers.get('content-type') ?? '';
    const payload = type.includes('json') ? await response.json() : await response.text();
    if (!response.ok) throw new ApiError(method, path, response.status, typeof payload === 'object' ? (payload as Problem) : null);
    return (response.status === 204 ? undefined : payload) as T;
  }
  return {
    request,
    get: (path) => request('GET', path),
    put: (path, body) => request('PUT', path, body),
    post: (path, body) => request('POST', path, body),
  };
}
