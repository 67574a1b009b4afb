/**
 * What the remote path retries and how. Only answers that mean "nothing was
 * executed" are retried, so a write never runs twice:
 * - HTTP 429/503: the server (sqld: more than 128 concurrent connections or requests
 *   by default) refused the whole request before executing anything;
 * - SQLITE_BUSY / SQLITE_LOCKED: not seen from sqld, which serializes writers itself,
 *   but Turso and other servers may send them.
 * A timeout or a lost connection is never retried: the statement may have run.
 */

/** Attempts in all, the first included (≈ 5 s of backoff at most). */
export const RETRY_ATTEMPTS = 12;

const messageOf = (error: unknown) => String((error as { message?: unknown } | null)?.message ?? '');

/** The server refused the whole request (overloaded): nothing was executed. */
export const isRefusedRequest = (error: unknown): boolean => /HTTP status (429|503)\b/.test(messageOf(error));

/** An answer meaning "nothing was executed, try again later". */
export function isRetryableRemoteError(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const code = String((error as { code?: unknown }).code ?? '');
  if (/^SQLITE_(BUSY|LOCKED)/.test(code) || /database is locked|SQLITE_BUSY/i.test(messageOf(error))) return true;
  return isRefusedRequest(error);
}

/** Exponential backoff with full jitter: up to 10 ms, 20, 40 … capped at 1 s. */
export const backoffMs = (attempt: number): number => Math.random() * Math.min(1000, 10 * 2 ** attempt);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `operation`, again after a backoff while it fails with an error `retryable`
 * accepts, at most RETRY_ATTEMPTS times; the last error is thrown.
 */
export async function retrying<T>(operation: () => Promise<T>, retryable: (error: unknown) => boolean = isRetryableRemoteError): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (attempt + 1 >= RETRY_ATTEMPTS || !retryable(error)) throw error;
      await sleep(backoffMs(attempt));
    }
  }
}
