/**
 * The event contract of POST /events (docs/api.md) and its validation: a zod
 * discriminated union on `type`, then the rules zod cannot say alone (endedAt
 * against status and startedAt, the clock-skew limit). Every bad event is reported
 * with its index; a batch with one bad event is rejected whole.
 */
import { z } from 'zod';
import type { Problem } from '../../../core/api.ts';
import type { ConsentState, DrTestResult, JobStatus } from '../../../core/types.ts';
import { unprocessable } from '../../http/problem.ts';
import { resourceId } from '../inventory-schema.ts';

/** Largest batch accepted. */
export const MAX_BATCH = 5_000;

const time = z.iso.datetime({ offset: true, error: 'Must be an ISO-8601 time with an offset, e.g. "2026-11-24T12:00:00Z".' });
const externalId = z.string().min(1).max(200);
const bytes = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

const jobSchema = z.object({
  type: z.literal('job'),
  id: externalId,
  deviceId: resourceId,
  status: z.enum(['success', 'warning', 'failed', 'running']),
  startedAt: time,
  endedAt: time.nullish(),
  bytes: bytes.nullish(),
  message: z.string().max(4_000).nullish(),
  logUrl: z.url({ protocol: /^https?$/, error: 'Must be an http(s) URL.' }).max(2_048).nullish(),
});
const drTestSchema = z.object({
  type: z.literal('dr_test'),
  id: externalId,
  deviceId: resourceId,
  at: time,
  result: z.enum(['passed', 'failed']),
  message: z.string().max(4_000).nullish(),
});
const checkinSchema = z.object({ type: z.literal('checkin'), deviceId: resourceId, at: time });
const storageSchema = z.object({
  type: z.literal('storage'),
  deviceId: resourceId,
  at: time,
  usedBytes: bytes,
  quotaBytes: bytes.nullish(),
});
const consentSchema = z.object({ type: z.literal('saas_consent'), deviceId: resourceId, at: time, state: z.enum(['ok', 'expired']) });

/** One event as sent. */
export const eventSchema = z.discriminatedUnion('type', [jobSchema, drTestSchema, checkinSchema, storageSchema, consentSchema]);

/** A validated event, times in epoch ms; `index` is its position in the batch. */
export type IngestEvent =
  | {
      type: 'job';
      index: number;
      id: string;
      deviceId: string;
      status: JobStatus;
      startedAt: number;
      endedAt: number | null;
      bytes: number | null;
      message: string | null;
      logUrl: string | null;
      /** A manual result's recorder and note (never from a request body: POST /devices/:id/manual-result sets them). */
      recordedBy?: string;
      note?: string;
    }
  | { type: 'dr_test'; index: number; id: string; deviceId: string; at: number; result: DrTestResult; message: string | null }
  | { type: 'checkin'; index: number; deviceId: string; at: number }
  | { type: 'storage'; index: number; deviceId: string; at: number; usedBytes: number; quotaBytes: number | null }
  | { type: 'saas_consent'; index: number; deviceId: string; at: number; state: ConsentState };

/** Problem `errors` of a batch: `{index, path, message}` per issue. */
export type BatchErrors = NonNullable<Problem['errors']>;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A validated batch: the good events in batch order, and an error for every bad one. */
export interface ParsedBatch {
  events: IngestEvent[];
  errors: BatchErrors;
  /** Events in the body, good and bad. */
  total: number;
}

/**
 * Validates a POST /events body (one event or `{events: […]}`) at `now`. A body
 * that is no event or batch at all throws a 422 problem; per-event problems are
 * returned, so the ingestor can add its own (unknown devices) before rejecting the
 * batch with every bad index named.
 */
export function parseEventBody(body: unknown, now: number, clockSkewMs: number): ParsedBatch {
  let raw: unknown[];
  if (isObject(body) && 'events' in body) {
    const events = body.events;
    if (!Array.isArray(events) || events.length === 0) {
      throw unprocessable('"events" must be an array of 1 to 5,000 events.', [{ path: 'events', message: 'Expected a non-empty array.' }]);
    }
    if (events.length > MAX_BATCH) {
      throw unprocessable(`A batch holds at most 5,000 events; this one has ${events.length}. Split it and send the parts one after the other.`, [
        { path: 'events', message: `Too many events: ${events.length} (at most ${MAX_BATCH}).` },
      ]);
    }
    raw = events;
  } else if (isObject(body)) {
    raw = [body];
  } else {
    throw unprocessable('Send one event object, or {"events": [...]} with 1 to 5,000 events.');
  }

  const latest = now + clockSkewMs;
  const errors: BatchErrors = [];
  const events: IngestEvent[] = [];
  for (let index = 0; index < raw.length; index++) {
    const parsed = eventSchema.safeParse(raw[index]);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors.push({ index, path: issue.path.map(String).join('.') || undefined, message: issue.message } as BatchErrors[number]);
      continue;
    }
    const problems: BatchErrors = [];
    const at = (path: string, value: string): number => {
      const ms = Date.parse(value);
      if (ms > latest) {
        problems.push({ index, path, message: `${value} is in the future (server time ${new Date(now).toISOString()}, ${Math.round(clockSkewMs / 1000)} s of clock skew allowed); check the sender's clock.` });
      }
      return ms;
    };
    const event = toEvent(parsed.data, index, at, problems);
    if (problems.length > 0) errors.push(...problems);
    else events.push(event);
  }
  return { events, errors, total: raw.length };
}

function toEvent(data: z.infer<typeof eventSchema>, index: number, at: (path: string, value: string) => number, problems: BatchErrors): IngestEvent {
  switch (data.type) {
    case 'job': {
      const startedAt = at('startedAt', data.startedAt);
      const endedAt = data.endedAt ? at('endedAt', data.endedAt) : null;
      if (data.status === 'running' && endedAt !== null) problems.push({ index, path: 'endedAt', message: 'A running job has no endedAt yet; send the job again when it ends.' });
      if (data.status !== 'running' && endedAt === null) problems.push({ index, path: 'endedAt', message: `Required for a ${data.status} job (only running jobs have none).` });
      if (endedAt !== null && endedAt < startedAt) problems.push({ index, path: 'endedAt', message: 'Must not be before startedAt.' });
      return {
        type: 'job', index, id: data.id, deviceId: data.deviceId, status: data.status, startedAt, endedAt,
        bytes: data.bytes ?? null, message: data.message ?? null, logUrl: data.logUrl ?? null,
      };
    }
    case 'dr_test':
      return { type: 'dr_test', index, id: data.id, deviceId: data.deviceId, at: at('at', data.at), result: data.result, message: data.message ?? null };
    case 'checkin':
      return { type: 'checkin', index, deviceId: data.deviceId, at: at('at', data.at) };
    case 'storage':
      return { type: 'storage', index, deviceId: data.deviceId, at: at('at', data.at), usedBytes: data.usedBytes, quotaBytes: data.quotaBytes ?? null };
    case 'saas_consent':
      return { type: 'saas_consent', index, deviceId: data.deviceId, at: at('at', data.at), state: data.state };
  }
}
