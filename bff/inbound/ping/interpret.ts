/**
 * A ping's meaning as one action on its device: start a job, end one, or log a
 * sign of life. Pure: the URL's signal, the body's facts and `now` decide it; the
 * store resolves the device and the job it pairs with.
 */
import type { CompletedJobStatus } from '../../../core/types.ts';
import type { BodyFacts } from './body-report.ts';
import type { PingRequest } from './signal.ts';

/** What a ping does. `runId` (from `?rid=`) names the job a start and its end share. */
export type PingAction =
  | { kind: 'start'; runId: string | null; at: number; message: string | null }
  | {
      kind: 'end';
      runId: string | null;
      status: CompletedJobStatus;
      endedAt: number;
      /** The start the body reported; null leaves it to the paired running job (or a zero-duration job). */
      startedAt: number | null;
      bytes: number | null;
      message: string | null;
    }
  | { kind: 'log'; runId: string | null; at: number; message: string | null };

/**
 * The action of a ping received at `now`. The URL's failure (`/fail`, a non-zero exit
 * status) wins over a body that reports success; a success URL takes the body's
 * status (a Duplicati warning or error). Times the body reports in the future are
 * replaced by `now`: a job never ends after the server received its end.
 */
export function interpretPing(request: PingRequest, facts: BodyFacts, now: number): PingAction {
  const { signal, runId } = request;
  if (signal.kind === 'start') return { kind: 'start', runId, at: now, message: facts.message };
  if (signal.kind === 'log') return { kind: 'log', runId, at: now, message: facts.message };

  const failed = signal.kind === 'fail' || (signal.kind === 'exit' && signal.exitStatus !== 0);
  const status: CompletedJobStatus = failed ? 'failed' : (facts.status ?? 'success');
  let message = facts.message;
  if (signal.kind === 'exit' && signal.exitStatus !== 0) message = message ? `Exit status ${signal.exitStatus}.\n${message}` : `Exit status ${signal.exitStatus}.`;

  const endedAt = facts.endedAt !== null && facts.endedAt <= now ? facts.endedAt : now;
  let startedAt = facts.startedAt ?? (facts.durationMs !== null ? endedAt - facts.durationMs : null);
  if (startedAt !== null) startedAt = Math.min(startedAt, endedAt);
  return { kind: 'end', runId, status, endedAt, startedAt, bytes: facts.bytes, message };
}
