/**
 * One outbound JSON request with a time limit, classified for the outbox: a 2xx is
 * an answer; network errors, timeouts, 408, 429 and 5xx are worth a retry; any other
 * status is permanent. Error texts name the call and the receiver's answer, never
 * the integration key.
 */
import { DeliveryError, parseRetryAfter, type DeliveryOutcome } from './delivery.ts';

export interface JsonRequest {
  method: 'POST' | 'PATCH' | 'PUT';
  url: string;
  headers: Record<string, string>;
  body: unknown;
  timeoutMs: number;
  now: number;
}

export type JsonAnswer = { ok: true; status: number; json: unknown } | { ok: false; outcome: Extract<DeliveryOutcome, { kind: 'retry' | 'failed' }> };

const MAX_ERROR_BODY = 300;

/** The URL without user info, for messages. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url;
  }
}

/** A receiver may echo our request (and its X-Integration-Key) in an error page: never keep a header value. */
function redact(text: string, secrets: readonly string[]): string {
  let clean = text;
  for (const secret of secrets) if (secret.length >= 8) clean = clean.split(secret).join('[redacted]');
  return clean;
}

/** Sends `body` as JSON and classifies the answer. Redirects are not followed (a moved receiver is a configuration error). */
export async function sendJson(request: JsonRequest): Promise<JsonAnswer> {
  const what = `${request.method} ${displayUrl(request.url)}`;
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers: { 'content-type': 'application/json', accept: 'application/json', ...request.headers },
      body: JSON.stringify(request.body),
      redirect: 'manual',
      signal: AbortSignal.timeout(request.timeoutMs),
    });
  } catch (error) {
    const name = (error as Error)?.name;
    const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
    const reason =
      name === 'TimeoutError' || name === 'AbortError'
        ? `no answer within ${Math.round(request.timeoutMs / 100) / 10} s`
        : cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
    return { ok: false, outcome: { kind: 'retry', error: `${what} failed: ${reason}` } };
  }
  const text = await response.text().catch(() => '');
  if (response.status >= 200 && response.status < 300) {
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { ok: true, status: response.status, json };
  }
  const snippet = redact(text, Object.values(request.headers)).replace(/\s+/g, ' ').trim().slice(0, MAX_ERROR_BODY);
  const error = `${what} answered ${response.status}${response.statusText ? ' ' + response.statusText : ''}${snippet ? `: ${snippet}` : ''}`;
  const transient = response.status === 408 || response.status === 429 || response.status >= 500;
  if (transient) {
    return { ok: false, outcome: { kind: 'retry', error, retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), request.now) } };
  }
  return { ok: false, outcome: { kind: 'failed', error } };
}

/** sendJson that throws DeliveryError unless the receiver answered 2xx. */
export async function requestJson(request: JsonRequest): Promise<{ status: number; json: unknown }> {
  const answer = await sendJson(request);
  if (!answer.ok) throw new DeliveryError(answer.outcome);
  return { status: answer.status, json: answer.json };
}
