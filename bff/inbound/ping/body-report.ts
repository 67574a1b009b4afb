/**
 * What a ping body says about its job. Plain text (or any JSON we do not know) is
 * the job's log; a restic `backup --json` summary or a Duplicati JSON report also
 * sets the status, times and bytes. Bodies are sniffed rather than trusted by
 * Content-Type: `curl -d @summary.json` labels JSON as a form, and Duplicati by
 * default posts its JSON as the form field `message`.
 */
import type { CompletedJobStatus } from '../../../core/types.ts';
import type { PingBody } from './body-reader.ts';
import { readDuplicatiReport, type DuplicatiReport } from './duplicati-report.ts';
import { findResticSummary, type ResticSummary } from './restic-summary.ts';

/** The job facts a body carries; null where it says nothing. */
export interface BodyFacts {
  source: 'none' | 'text' | 'restic' | 'duplicati';
  message: string | null;
  status: CompletedJobStatus | null;
  /** Epoch ms as the tool reported them (not yet checked against the server's clock). */
  startedAt: number | null;
  endedAt: number | null;
  durationMs: number | null;
  bytes: number | null;
}

const NOTHING: BodyFacts = { source: 'none', message: null, status: null, startedAt: null, endedAt: null, durationMs: null, bytes: null };

/** Reads a ping body; `contentType` is the request's Content-Type header (or ''). */
export function readBodyFacts(body: PingBody, contentType: string): BodyFacts {
  const text = body.head;
  if (text.trim() === '') return NOTHING;
  const trimmed = text.trimStart();
  const json = jsonCandidate(trimmed, contentType);
  if (json !== null && !body.truncated) {
    const report = parseDuplicati(json);
    if (report) return duplicatiFacts(report);
  }
  if (trimmed.startsWith('{')) {
    const summary = findResticSummary(body.truncated ? body.tail : text);
    if (summary) return resticFacts(summary);
  }
  return { ...NOTHING, source: 'text', message: body.truncated ? `${text}\n… (truncated: the body had ${body.size} bytes)` : text };
}

/** The JSON text in a body: the body itself, or Duplicati's default form field `message`. */
function jsonCandidate(trimmed: string, contentType: string): string | null {
  if (trimmed.startsWith('{')) return trimmed;
  if (/^application\/x-www-form-urlencoded\b/i.test(contentType)) {
    const message = new URLSearchParams(trimmed).get('message');
    if (message?.trimStart().startsWith('{')) return message;
  }
  return null;
}

function parseDuplicati(json: string): DuplicatiReport | null {
  try {
    return readDuplicatiReport(JSON.parse(json));
  } catch {
    return null;
  }
}

function duplicatiFacts(report: DuplicatiReport): BodyFacts {
  const lines = [`Duplicati ${report.operation}${report.backupName ? ` "${report.backupName}"` : ''}: ${report.result}`];
  for (const error of report.errors) lines.push(`Error: ${error}`);
  for (const warning of report.warnings) lines.push(`Warning: ${warning}`);
  return {
    source: 'duplicati',
    message: lines.join('\n'),
    status: report.status,
    startedAt: report.beganAt,
    endedAt: report.endedAt,
    durationMs: report.durationMs,
    bytes: report.bytes,
  };
}

function resticFacts(summary: ResticSummary): BodyFacts {
  const duration = summary.totalDuration === null ? '' : ` in ${summary.totalDuration.toFixed(1)} s`;
  const message =
    `restic snapshot ${summary.snapshotId ?? '(no id)'}: ${summary.filesNew} new, ${summary.filesChanged} changed, ` +
    `${summary.filesUnmodified} unmodified files; ${summary.totalBytesProcessed} bytes processed, ${summary.dataAdded} bytes added${duration}`;
  return {
    source: 'restic',
    message,
    status: 'success',
    startedAt: summary.backupStart,
    endedAt: summary.backupEnd,
    durationMs: summary.totalDuration === null ? null : Math.round(summary.totalDuration * 1000),
    bytes: summary.totalBytesProcessed,
  };
}
