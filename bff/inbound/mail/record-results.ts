/**
 * Turns a parser's verdict into recorded jobs: each result's device is resolved,
 * the results with a device go through the ingestor as ordinary job events (the
 * same evaluation, alerts and tickets as POST /events, in one transaction), and
 * every result keeps the reason it was not recorded, if it was not.
 */
import { createHash } from 'node:crypto';
import type { SqlExecutor } from '../../db/client.ts';
import { ProblemError } from '../../http/problem.ts';
import { MAX_BATCH, type IngestEvent, type Ingestor } from '../../services/ingest/index.ts';
import { matchDevices } from './device-match.ts';
import type { MailState, StoredMailJob } from './mail-store.ts';
import type { Verdict } from './parsers.ts';

/** What became of a message: its state, reason and results. */
export interface RecordedVerdict {
  state: Exclude<MailState, 'duplicate'>;
  parser: string | null;
  reason: string | null;
  jobs: StoredMailJob[];
}

export interface RecordOptions {
  tenantId: string;
  /** Identifies the message (Message-ID or content hash): job ids derive from it. */
  messageKey: string;
  clientId: string | null;
  now: number;
  /** Results ending later than now + this are refused (a wrong clock or time zone at the sender). */
  clockSkewMs: number;
}

/** Records the verdict's results; throws only when the database fails (nothing is then recorded). */
export async function recordVerdict(db: SqlExecutor, ingestor: Ingestor, verdict: Verdict, options: RecordOptions): Promise<RecordedVerdict> {
  const { result, parser } = verdict;
  if (result.kind === 'unreadable') return { state: 'unmatched', parser, reason: result.reason, jobs: [] };
  if (result.jobs.length === 0) return { state: 'unmatched', parser, reason: `The ${parser} report lists no backup results.`, jobs: [] };
  if (result.jobs.length > MAX_BATCH) {
    return { state: 'unmatched', parser, reason: `The report lists ${result.jobs.length} results; at most ${MAX_BATCH} are read from one message. Split the report.`, jobs: [] };
  }

  const matches = await matchDevices(db, options.tenantId, result.jobs.map((job) => job.device), options.clientId);
  const prefix = `mail-${createHash('sha256').update(options.messageKey).digest('hex').slice(0, 24)}`;
  const latest = options.now + options.clockSkewMs;
  const jobs: StoredMailJob[] = result.jobs.map((job, index) => {
    const match = matches.get(job.device)!;
    const problem = 'problem' in match ? match.problem
      : job.endedAt > latest ? `Its time ${new Date(job.endedAt).toISOString()} is in the future; check the clock and time zone of the sender (and the tenant's time zone).`
      : null;
    return { ...job, deviceId: 'deviceId' in match ? match.deviceId : null, jobId: `${prefix}-${index + 1}`, problem };
  });

  const events: IngestEvent[] = jobs
    .filter((job) => job.problem === null)
    .map((job, index) => ({
      type: 'job', index, id: job.jobId, deviceId: job.deviceId!, status: job.status, startedAt: job.startedAt, endedAt: job.endedAt,
      bytes: job.bytes, message: job.message, logUrl: null,
    }));
  const unread = result.skipped && result.skipped.length > 0 ? ` Not read: ${result.skipped.slice(0, 5).join('; ')}.` : '';
  if (events.length === 0) return { state: 'unmatched', parser, reason: summarise(jobs) + unread, jobs };

  try {
    await ingestor.ingest(options.tenantId, { events, errors: [], total: events.length }, options.now);
  } catch (error) {
    // A device retired between matching and ingesting, or a job id taken: nothing was stored.
    if (!(error instanceof ProblemError)) throw error;
    const details = (error.problem.errors ?? []).map((e) => e.message).join(' ');
    return { state: 'unmatched', parser, reason: `${error.problem.detail ?? error.message} ${details}`.trim(), jobs: jobs.map((job) => ({ ...job, problem: job.problem ?? 'Not recorded (see the reason).' })) };
  }
  const skipped = jobs.filter((job) => job.problem !== null);
  const reason = (skipped.length > 0 ? summarise(jobs) : '') + unread;
  return { state: 'parsed', parser, reason: reason.trim() || null, jobs };
}

/** "2 of 3 results were not recorded: FS01: No device is named …". */
function summarise(jobs: readonly StoredMailJob[]): string {
  const skipped = jobs.filter((job) => job.problem !== null);
  const lines = skipped.slice(0, 5).map((job) => `${job.device}: ${job.problem}`);
  const more = skipped.length > 5 ? ` (and ${skipped.length - 5} more)` : '';
  return `${skipped.length} of ${jobs.length} result(s) were not recorded. ${lines.join(' ')}${more}`;
}
