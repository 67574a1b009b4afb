/**
 * Duplicati mail reports: subject `Duplicati <operation> report for <backup name>`
 * and a body of `Key: value` lines (`ParsedResult: Success`, `BeginTime: 12/2/2026
 * 10:00:01 PM (1764712801)`, `EndTime: …`, `SizeOfExaminedFiles: 987654321`). A
 * Backup report is one job of the device named like the backup.
 */
import { statusFromWord, jobMessage } from './report-values.ts';
import { parseReportTime } from './report-time.ts';
import type { InboundMessage, MailParser, ParseContext, ParseResult } from './types.ts';

const SUBJECT = /^\s*duplicati\s+(\S+)\s+report\s+for\s+(.+?)\s*$/i;
const PARSED_RESULTS = ['success', 'warning', 'error', 'fatal'];

/** The Duplicati parser: claims a message by its subject. */
export const duplicatiParser: MailParser = {
  name: 'duplicati',
  parse(message, context) {
    const subject = SUBJECT.exec(message.subject);
    if (!subject) return null;
    // Both groups are mandatory in SUBJECT, so a match has them.
    const [, operation = '', backupName = ''] = subject;
    if (operation.toLowerCase() !== 'backup') {
      return { kind: 'unreadable', reason: `A Duplicati ${operation} report is not a backup result; only "Duplicati Backup report for …" mails become jobs.` };
    }
    if (backupName.trim() === '') return { kind: 'unreadable', reason: 'The Duplicati report names no backup; give the backup a name in Duplicati (it names the device).' };
    return readReport(message, backupName.trim(), context);
  },
};

function readReport(message: InboundMessage, backupName: string, context: ParseContext): ParseResult {
  const lines = message.text.split(/\r?\n/);
  const fields = new Map<string, string>();
  for (const line of lines) {
    const match = /^\s*([A-Za-z][A-Za-z0-9-]*)\s*:\s*(.*?)\s*$/.exec(line);
    // The first occurrence wins: nested statistics (BackendStatistics) repeat some keys.
    if (match && !fields.has(match[1]!.toLowerCase())) fields.set(match[1]!.toLowerCase(), match[2]!);
  }
  const result = fields.get('parsedresult');
  if (result === undefined) {
    return { kind: 'unreadable', reason: `The Duplicati report for "${backupName}" has no "ParsedResult:" line; keep Duplicati's default mail body (--send-mail-body) or add %PARSEDRESULT% to it.` };
  }
  const status = PARSED_RESULTS.includes(result.toLowerCase()) ? statusFromWord(result) : null;
  if (status === null) return { kind: 'unreadable', reason: `ParsedResult "${result}" is not one of Success, Warning, Error, Fatal.` };

  const fallback = message.date ?? context.receivedAt;
  const begin = reportTime(fields.get('begintime'), context.timeZone);
  const end = reportTime(fields.get('endtime'), context.timeZone);
  const startedAt = begin ?? end ?? fallback;
  const endedAt = end !== null && end >= startedAt ? end : startedAt;
  const size = Number(fields.get('sizeofexaminedfiles'));
  const problems = [...listItems(lines, 'Errors'), ...listItems(lines, 'Warnings')].slice(0, 3).join(' ');
  return {
    kind: 'jobs',
    jobs: [{
      device: backupName,
      status,
      startedAt,
      endedAt,
      bytes: Number.isSafeInteger(size) && size >= 0 ? size : null,
      message: jobMessage(`Duplicati backup "${backupName}": ${result}${problems ? ` ${problems}` : ''}`),
    }],
  };
}

/**
 * The entries of a `Name: [ … ]` list (one per line until `]`), without their
 * timestamp prefix: `2026-12-02 22:15:00 +00 - [Warning-…]: Failed to process path` → the message.
 */
function listItems(lines: readonly string[], name: string): string[] {
  const start = lines.findIndex((line) => line.trim().toLowerCase() === `${name.toLowerCase()}: [`);
  if (start < 0) return [];
  const items: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === ']') break;
    const item = line.trim().replace(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]?\d{2} - \[[^\]]*\]:\s*/, '').replace(/,$/, '');
    if (item !== '') items.push(item);
  }
  return items;
}

/** Duplicati prints `12/2/2026 10:00:01 PM (1764712801)`: the epoch seconds in brackets are exact. */
function reportTime(value: string | undefined, timeZone: string): number | null {
  if (!value) return null;
  const epoch = /\((\d{9,11})\)\s*$/.exec(value);
  if (epoch) return Number(epoch[1]) * 1000;
  return parseReportTime(value, timeZone);
}
