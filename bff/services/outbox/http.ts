/**
 * One outbound JSON request with a time limit, classified for the outbox: a 2xx is
 * an answer; network errors, timeouts, 408, 429 and 5xx are worth a retry; any other
 * status is permanent. Error texts name the call and the receiver's answer, never
 * the integration key.
 *
 * Requests go through node:http(s) rather than fetch so that the address the socket
 * connects to is the one checked: with `networks: 'public'` the host name is resolved
 * by our own lookup, which refuses internal addresses (a DNS answer cannot change
 * between the check and the connection); IP literals, which need no lookup, are
 * checked before connecting.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { DeliveryError, parseRetryAfter, type DeliveryOutcome } from './delivery.ts';
import { isNonPublicAddress, type IntegrationNetworks } from './receiver-address.ts';

export interface JsonRequest {
  method: 'POST' | 'PATCH' | 'PUT';
  url: string;
  headers: Record<string, string>;
  body: unknown;
  timeoutMs: number;
  now: number;
  /** Which receiver addresses may be connected to (default `public`). */
  networks?: IntegrationNetworks;
}

export type JsonAnswer = { ok: true; status: number; json: unknown } | { ok: false; outcome: Extract<DeliveryOutcome, { kind: 'retry' | 'failed' }> };

const INTERNAL_ADDRESS = 'EINTERNALADDRESS';

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** dns.lookup that fails with EINTERNALADDRESS when any address of the name is internal. */
function publicOnlyLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '');
    const internal = addresses.find((entry) => isNonPublicAddress(entry.address));
    if (internal) {
      const refused: NodeJS.ErrnoException = new Error(`${hostname} resolves to a loopback, private or link-local address; this server only calls public receivers (set BHM_INTEGRATION_NETWORKS=any to allow internal ones).`);
      refused.code = INTERNAL_ADDRESS;
      return callback(refused, '');
    }
    if (options.all) return callback(null, addresses);
    const [first] = addresses;
    if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '');
    callback(null, first.address, first.family);
  });
}

interface RawAnswer {
  status: number;
  statusText: string;
  retryAfter: string | null;
  text: string;
}

/** Sends the request and reads the whole answer; rejects on network errors and after `timeoutMs`. */
function exchange(request: JsonRequest, body: string): Promise<RawAnswer> {
  const url = new URL(request.url);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const publicOnly = (request.networks ?? 'public') === 'public';
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (publicOnly && isIP(literal) !== 0 && isNonPublicAddress(literal)) {
    // No lookup happens for an IP literal: check it here.
    const refused: NodeJS.ErrnoException = new Error(`${url.host} is a loopback, private or link-local address; this server only calls public receivers (set BHM_INTEGRATION_NETWORKS=any to allow internal ones).`);
    refused.code = INTERNAL_ADDRESS;
    return Promise.reject(refused);
  }
  return new Promise<RawAnswer>((resolve, reject) => {
    const outgoing = send(
      url,
      {
        method: request.method,
        headers: { 'content-type': 'application/json', accept: 'application/json', 'content-length': Buffer.byteLength(body), ...request.headers },
        ...(publicOnly ? { lookup: publicOnlyLookup as never } : {}),
      },
      (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            statusText: response.statusMessage ?? '',
            retryAfter: (response.headers['retry-after'] as string | undefined) ?? null,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    // One limit for the whole exchange, as AbortSignal.timeout gave fetch.
    const timer = setTimeout(() => {
      reject(Object.assign(new Error('timeout'), { name: 'TimeoutError' }));
      outgoing.destroy();
    }, request.timeoutMs);
    outgoing.on('close', () => clearTimeout(timer));
    outgoing.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    outgoing.end(body);
  });
}

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
  let answer: RawAnswer;
  try {
    answer = await exchange(request, JSON.stringify(request.body));
  } catch (error) {
    const failure = error as NodeJS.ErrnoException;
    if (failure?.code === INTERNAL_ADDRESS) return { ok: false, outcome: { kind: 'failed', error: `${what} refused: ${failure.message}` } };
    const reason =
      failure?.name === 'TimeoutError'
        ? `no answer within ${Math.round(request.timeoutMs / 100) / 10} s`
        : failure?.code ?? failure?.message ?? String(error);
    return { ok: false, outcome: { kind: 'retry', error: `${what} failed: ${reason}` } };
  }
  const { status, text } = answer;
  if (status >= 200 && status < 300) {
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { ok: true, status, json };
  }
  const snippet = redact(text, Object.values(request.headers)).replace(/\s+/g, ' ').trim().slice(0, MAX_ERROR_BODY);
  const error = `${what} answered ${status}${answer.statusText ? ' ' + answer.statusText : ''}${snippet ? `: ${snippet}` : ''}`;
  const transient = status === 408 || status === 429 || status >= 500;
  if (transient) {
    return { ok: false, outcome: { kind: 'retry', error, retryAfterMs: parseRetryAfter(answer.retryAfter, request.now) } };
  }
  return { ok: false, outcome: { kind: 'failed', error } };
}

/** sendJson that throws DeliveryError unless the receiver answered 2xx. */
export async function requestJson(request: JsonRequest): Promise<{ status: number; json: unknown }> {
  const answer = await sendJson(request);
  if (!answer.ok) throw new DeliveryError(answer.outcome);
  return { status: answer.status, json: answer.json };
}
