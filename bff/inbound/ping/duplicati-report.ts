/**
 * Duplicati's `--send-http-url` report in JSON (`--send-http-result-output-format=Json`):
 * `{Data: {ParsedResult, BeginTime, EndTime, Duration, SizeOfExaminedFiles, MainOperation,
 * Warnings, Errors, …}, Extra: {OperationName, "backup-name", "machine-name", …}}`.
 */
import type { CompletedJobStatus } from '../../../core/types.ts';

/** What a Duplicati report tells about a job. */
export interface DuplicatiReport {
  status: CompletedJobStatus;
  /** The ParsedResult as sent (Success, Warning, Error, Fatal). */
  result: string;
  operation: string;
  backupName: string | null;
  /** Epoch ms, when the report's times can be read. */
  beganAt: number | null;
  endedAt: number | null;
  durationMs: number | null;
  /** SizeOfExaminedFiles. */
  bytes: number | null;
  warnings: string[];
  errors: string[];
}

const RESULTS: Record<string, CompletedJobStatus> = { success: 'success', warning: 'warning', error: 'failed', fatal: 'failed' };
// .NET TimeSpan as Duplicati prints it: [d.]hh:mm:ss[.fffffff]
const TIMESPAN = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d+))?$/;
const MAX_LINES = 20;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Milliseconds of a .NET TimeSpan string ("00:05:30.1234567", "1.02:00:00"), or null. */
export function parseTimeSpan(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const match = TIMESPAN.exec(value.trim());
  if (!match) return null;
  const [, days = '0', hours, minutes, seconds, fraction = '0'] = match;
  const ms = Number(`0.${fraction}`) * 1000;
  return ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000 + Number(seconds) * 1000 + Math.round(ms);
}

function timeOf(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

function lines(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((line): line is string => typeof line === 'string').slice(0, MAX_LINES).map((line) => line.slice(0, 500));
}

/** The report in a parsed JSON body, or null when the body is no Duplicati report (no `Data.ParsedResult` it knows). */
export function readDuplicatiReport(value: unknown): DuplicatiReport | null {
  if (!isObject(value) || !isObject(value.Data)) return null;
  const data = value.Data;
  const extra = isObject(value.Extra) ? value.Extra : {};
  const result = typeof data.ParsedResult === 'string' ? data.ParsedResult : '';
  const status = RESULTS[result.toLowerCase()];
  if (!status) return null;
  const size = data.SizeOfExaminedFiles;
  const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, 200) : null);
  return {
    status,
    result,
    operation: text(data.MainOperation) ?? text(extra.OperationName) ?? 'Backup',
    backupName: text(extra['backup-name']),
    beganAt: timeOf(data.BeginTime),
    endedAt: timeOf(data.EndTime),
    durationMs: parseTimeSpan(data.Duration),
    bytes: typeof size === 'number' && Number.isSafeInteger(size) && size >= 0 ? size : null,
    warnings: lines(data.Warnings),
    errors: lines(data.Errors),
  };
}
