/**
 * Veeam job notifications (Backup & Replication, Agent, Microsoft 365). The subject
 * is `[Success|Warning|Failed] <job name> (<n> VMs|objects|machines) <issues>`; the
 * HTML body has a header with the job's date and summary (Start time …) and a
 * per-object table: Name, Status, Start time, End time, Size, …, Details. Each
 * object is one job of the device named like the object. Object times are times of
 * day; the date is the header's (an object that starts before the job did ran past
 * midnight).
 */
import { addDays, localDateTime, type LocalDate } from '../../../core/zoned-time.ts';
import { htmlText, tableRows } from './html-text.ts';
import { findLocalDate, localInstant, parseReportTime, parseTimeOfDay } from './report-time.ts';
import { jobMessage, parseDataSize, statusFromWord } from './report-values.ts';
import type { InboundMessage, MailJob, MailParser, ParseContext, ParseResult } from './types.ts';

const SUBJECT = /^\s*\[(success|warning|failed)\]\s*(.+?)\s*\((\d+)\s+(?:objects?|vms?|machines?|computers?|servers?)\)(?:[\s,]+(.*))?$/i;
const DAY_SECONDS = 86_400;

interface Columns {
  name: number;
  status: number;
  start: number;
  end: number;
  size: number;
  details: number;
  width: number;
}

/** The Veeam parser: claims a message by its subject. */
export const veeamParser: MailParser = {
  name: 'veeam',
  parse(message, context) {
    const subject = SUBJECT.exec(message.subject);
    if (!subject) return null;
    return readJobs(message, context, subject[2]!);
  },
};

function readJobs(message: InboundMessage, context: ParseContext, jobName: string): ParseResult {
  const rows = tableRows(message.html);
  const objects: { cells: string[]; columns: Columns }[] = [];
  let columns: Columns | null = null;
  for (const cells of rows) {
    const header = headerColumns(cells);
    if (header) {
      columns = header;
      continue;
    }
    if (columns && cells.length === columns.width && cells[columns.name] !== '' && statusFromWord(cells[columns.status]!) !== null) {
      objects.push({ cells, columns });
    }
  }
  if (objects.length === 0) {
    return {
      kind: 'unreadable',
      reason: `The subject is a Veeam notification for job "${jobName}", but the HTML body has no per-object table (Name, Status, Start time, End time). Send the notification as HTML (the job's notification settings), not as plain text.`,
    };
  }

  const headerDate = reportDate(rows) ?? findLocalDate(htmlText(message.html))?.date ?? localDateTime(message.date ?? context.receivedAt, context.timeZone);
  const date: LocalDate = { year: headerDate.year, month: headerDate.month, day: headerDate.day };
  const jobStart = summaryTime(rows, 'start time');

  const jobs: MailJob[] = objects.map(({ cells, columns: c }) => {
    const startCell = c.start >= 0 ? cells[c.start]! : '';
    const endCell = c.end >= 0 ? cells[c.end]! : '';
    const startSeconds = parseTimeOfDay(startCell);
    const startDate = startSeconds !== null && jobStart !== null && startSeconds < jobStart ? addDays(date, 1) : date;
    const startedAt =
      parseDatedCell(startCell, context) ??
      (startSeconds !== null ? localInstant(startDate, startSeconds, context.timeZone) : (message.date ?? context.receivedAt));
    const endSeconds = parseTimeOfDay(endCell);
    let endedAt = parseDatedCell(endCell, context);
    if (endedAt === null && endSeconds !== null) {
      endedAt = localInstant(startDate, endSeconds, context.timeZone);
      // An end earlier than the start is the next day's.
      if (endedAt < startedAt) endedAt = localInstant(addDays(startDate, 1), endSeconds, context.timeZone);
    }
    const details = c.details >= 0 ? cells[c.details]! : '';
    return {
      device: cells[c.name]!,
      status: statusFromWord(cells[c.status]!)!, // rows without a known status were not collected
      startedAt,
      endedAt: endedAt === null || endedAt < startedAt ? startedAt : endedAt,
      bytes: c.size >= 0 ? parseDataSize(cells[c.size]!) : null,
      message: jobMessage(`Veeam job "${jobName}"${details ? `: ${details}` : ''}`),
    };
  });
  return { kind: 'jobs', jobs };
}

/** The columns of a header row of the per-object table, null for any other row. */
function headerColumns(cells: readonly string[]): Columns | null {
  const labels = cells.map((cell) => cell.toLowerCase());
  const find = (...names: string[]) => labels.findIndex((label) => names.includes(label));
  const name = find('name', 'object', 'vm name', 'machine', 'computer');
  const status = find('status', 'result');
  const start = find('start time', 'start', 'started');
  if (name < 0 || status < 0 || start < 0) return null;
  return { name, status, start, end: find('end time', 'end', 'finished', 'stop time'), size: find('size', 'total size', 'backup size'), details: find('details', 'detail', 'message'), width: cells.length };
}

/**
 * The job's date: the nearest date above the summary (the row with "Start time"),
 * which skips dates in the job description above it ("Created by … at 11/3/2026").
 */
function reportDate(rows: readonly string[][]): LocalDate | null {
  const summary = rows.findIndex((cells) => headerColumns(cells) === null && cells.some((cell) => cell.toLowerCase() === 'start time'));
  for (let index = summary - 1; index >= 0; index--) {
    const found = findLocalDate(rows[index]!.join(' '));
    if (found) return found.date;
  }
  return null;
}

/** Seconds after midnight in the cell after the summary label `label`, null when absent. */
function summaryTime(rows: readonly string[][], label: string): number | null {
  for (const cells of rows) {
    const at = cells.findIndex((cell) => cell.toLowerCase() === label);
    if (at >= 0 && at + 1 < cells.length && headerColumns(cells) === null) {
      const seconds = parseTimeOfDay(cells[at + 1]!);
      if (seconds !== null && seconds < DAY_SECONDS) return seconds;
    }
  }
  return null;
}

/** A cell that carries its own date (some versions print `12/2/2026 10:00:31 PM`). */
function parseDatedCell(cell: string, context: ParseContext): number | null {
  return findLocalDate(cell) ? parseReportTime(cell, context.timeZone) : null;
}
