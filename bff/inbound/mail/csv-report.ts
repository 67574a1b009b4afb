/**
 * The generic CSV report (Backup Radar's convention): a subject starting with
 * `Backup Report CSV` or `Backup CSV Report` and a CSV attachment (the first one is
 * read) with the columns Device, Status and Backup Date, and optionally Job, Client
 * and Data Size. One row is one job.
 */
import Papa from 'papaparse';
import { parseReportTime } from './report-time.ts';
import { jobMessage, parseDataSize, statusFromWord } from './report-values.ts';
import type { MailAttachment, MailJob, MailParser, ParseResult } from './types.ts';

const SUBJECT = /^\s*(?:backup report csv|backup csv report)\b/i;
const REQUIRED = ['device', 'status', 'backup date'] as const;
/** Rows read from one attachment; more is a report no product sends. */
const MAX_ROWS = 5_000;

const isCsv = (a: MailAttachment) => a.contentType === 'text/csv' || a.contentType === 'application/csv' || /\.csv$/i.test(a.filename ?? '');

/** The CSV report parser: claims a message by its subject. */
export const csvReportParser: MailParser = {
  name: 'csv-report',
  parse(message, context) {
    if (!SUBJECT.test(message.subject)) return null;
    const attachment = message.attachments.find(isCsv);
    if (!attachment) {
      return { kind: 'unreadable', reason: 'The subject announces a CSV backup report, but the message has no CSV attachment (.csv or text/csv).' };
    }
    return readCsv(attachment, context.timeZone);
  },
};

function readCsv(attachment: MailAttachment, timeZone: string): ParseResult {
  const name = attachment.filename ?? 'the CSV attachment';
  const text = decodeText(attachment).replace(/^\uFEFF/, '');
  const parsed = Papa.parse<Record<string, string>>(text, {
    header: true,
    skipEmptyLines: 'greedy',
    transformHeader: (header) => header.trim().toLowerCase(),
    preview: MAX_ROWS,
  });
  const fields = parsed.meta.fields ?? [];
  const missing = REQUIRED.filter((column) => !fields.includes(column));
  if (missing.length > 0) {
    return { kind: 'unreadable', reason: `${name} lacks the column(s) ${missing.map((m) => titleCase(m)).join(', ')}; a CSV report needs Device, Status and Backup Date.` };
  }

  const jobs: MailJob[] = [];
  const problems: string[] = [];
  parsed.data.forEach((row, index) => {
    const line = index + 2; // the header is line 1
    const device = (row.device ?? '').trim();
    const status = statusFromWord(row.status ?? '');
    const at = parseReportTime(row['backup date'] ?? '', timeZone);
    if (device === '') problems.push(`row ${line}: Device is empty`);
    else if (status === null) problems.push(`row ${line}: Status "${(row.status ?? '').trim()}" is not one of Success, Successful, Finished, Normal, Warning, Failure, Failed, Error, Fatal`);
    else if (at === null) problems.push(`row ${line}: Backup Date "${(row['backup date'] ?? '').trim()}" is not a date`);
    else {
      const job = (row.job ?? '').trim();
      const client = (row.client ?? '').trim();
      jobs.push({
        device,
        status,
        startedAt: at,
        endedAt: at,
        bytes: row['data size'] ? parseDataSize(row['data size']) : null,
        message: jobMessage([job && `Job "${job}"`, client && `client "${client}"`].filter(Boolean).join(', ')),
      });
    }
  });
  if (jobs.length === 0) {
    return { kind: 'unreadable', reason: problems.length > 0 ? `${name}: ${problems.slice(0, 5).join('; ')}.` : `${name} has no rows.` };
  }
  return { kind: 'jobs', jobs, ...(problems.length > 0 ? { skipped: problems } : {}) };
}

/** The attachment's text in its declared charset (UTF-8 when none or unknown). */
function decodeText(attachment: MailAttachment): string {
  try {
    return new TextDecoder(attachment.charset ?? 'utf-8').decode(attachment.content);
  } catch {
    return new TextDecoder('utf-8').decode(attachment.content);
  }
}

const titleCase = (column: string) => column.replace(/\b[a-z]/g, (c) => c.toUpperCase());
