/**
 * What a ping URL says, from its path suffix and query, as Healthchecks' ping API
 * defines it: nothing (success), `start`, `fail`, `log`, or an exit status 0–255;
 * `?rid=<uuid>` names one run so that its start and end pair up; `?create=1` asks
 * for an unknown slug to be created.
 */

/** The signal of one ping. */
export type PingSignal =
  | { kind: 'success' }
  | { kind: 'start' }
  | { kind: 'fail' }
  | { kind: 'log' }
  | { kind: 'exit'; exitStatus: number };

/** A ping URL's meaning: its signal, the run it belongs to (lowercased UUID) and whether it asks to be created. */
export interface PingRequest {
  signal: PingSignal;
  runId: string | null;
  create: boolean;
}

/** Why a ping URL cannot be read: the text Healthchecks would answer, with its status. */
export interface PingRefusal {
  status: 400 | 404;
  text: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EXIT_STATUS = /^\d{1,3}$/;

/**
 * Reads the suffix after `/ping/{key}/{slug}` (undefined when absent) and the query.
 * An unknown suffix is a 404 (no such URL), an exit status above 255 or a `rid`
 * that is no UUID a 400, as in Healthchecks.
 */
export function readPingRequest(suffix: string | undefined, query: { rid?: string; create?: string }): PingRequest | PingRefusal {
  let signal: PingSignal;
  if (suffix === undefined || suffix === '') signal = { kind: 'success' };
  else if (suffix === 'start' || suffix === 'fail' || suffix === 'log') signal = { kind: suffix };
  else if (EXIT_STATUS.test(suffix)) {
    const exitStatus = Number(suffix);
    if (exitStatus > 255) return { status: 400, text: 'invalid exit status: use 0 to 255' };
    signal = { kind: 'exit', exitStatus };
  } else return { status: 404, text: 'not found' };

  let runId: string | null = null;
  if (query.rid !== undefined && query.rid !== '') {
    if (!UUID.test(query.rid)) return { status: 400, text: 'invalid rid: it must be a UUID' };
    runId = query.rid.toLowerCase();
  }
  return { signal, runId, create: query.create === '1' };
}

/** True when `value` is a refusal rather than a request. */
export const isRefusal = (value: PingRequest | PingRefusal): value is PingRefusal => 'status' in value;
