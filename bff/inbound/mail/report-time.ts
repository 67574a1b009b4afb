/**
 * Dates and times as backup products print them in reports: ISO-8601, US
 * `M/D/YYYY`, European `D.M.YYYY`, `Wednesday, 2 December 2026`, `December 2, 2026`,
 * times of day with seconds and AM/PM. A time without an offset is wall-clock time
 * in the tenant's zone (the products print the server's local time).
 */
import { zonedInstant, type LocalDate } from '../../../core/zoned-time.ts';

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?';

const ISO_DATE = /\b(\d{4})-(\d{1,2})-(\d{1,2})\b/;
const US_DATE = /\b(\d{1,2})\/(\d{1,2})\/(\d{4})\b/;
const DOTTED_DATE = /\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b/;
const DAY_MONTH_YEAR = new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+${MONTH}\\s+(\\d{4})\\b`, 'i');
const MONTH_DAY_YEAR = new RegExp(`\\b${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b`, 'i');
const TIME_OF_DAY = /\b(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?(?:\s*([AaPp])\.?[Mm]\.?)?/;
const EXPLICIT_OFFSET = /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})\b/i;

const monthIndex = (name: string) => MONTHS.findIndex((m) => m.startsWith(name.slice(0, 3).toLowerCase())) + 1;

function validDate(year: number, month: number, day: number): LocalDate | null {
  if (month < 1 || month > 12 || day < 1 || day > 31 || year < 1970 || year > 9999) return null;
  const check = new Date(Date.UTC(year, month - 1, day));
  return check.getUTCMonth() === month - 1 ? { year, month, day } : null;
}

/** The first calendar date written in `text`, with where it ends; null when there is none. */
export function findLocalDate(text: string): { date: LocalDate; end: number } | null {
  const candidates: { date: LocalDate | null; index: number; end: number }[] = [];
  const attempt = (pattern: RegExp, read: (m: RegExpExecArray) => LocalDate | null) => {
    const match = pattern.exec(text);
    if (match) candidates.push({ date: read(match), index: match.index, end: match.index + match[0].length });
  };
  attempt(ISO_DATE, (m) => validDate(+m[1]!, +m[2]!, +m[3]!));
  // Slashes are read month first (the US order the products default to), dots day first.
  attempt(US_DATE, (m) => validDate(+m[3]!, +m[1]!, +m[2]!) ?? validDate(+m[3]!, +m[2]!, +m[1]!));
  attempt(DOTTED_DATE, (m) => validDate(+m[3]!, +m[2]!, +m[1]!));
  attempt(DAY_MONTH_YEAR, (m) => validDate(+m[3]!, monthIndex(m[2]!), +m[1]!));
  attempt(MONTH_DAY_YEAR, (m) => validDate(+m[3]!, monthIndex(m[1]!), +m[2]!));
  const found = candidates.filter((c) => c.date !== null).sort((a, b) => a.index - b.index)[0];
  return found ? { date: found.date!, end: found.end } : null;
}

/** Seconds after midnight of the first time of day in `text` (`22:05`, `10:05:12 PM`); null when none. */
export function parseTimeOfDay(text: string): number | null {
  const match = TIME_OF_DAY.exec(text);
  if (!match) return null;
  let hour = Number(match[1]);
  const minute = Number(match[2]);
  const second = Number(match[3] ?? 0);
  const meridiem = match[4]?.toLowerCase();
  if (meridiem) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (meridiem === 'p' ? 12 : 0);
  }
  if (hour > 23 || minute > 59 || second > 59) return null;
  return hour * 3600 + minute * 60 + second;
}

/** The instant the wall clock in `timeZone` shows `date` at `seconds` after midnight. */
export function localInstant(date: LocalDate, seconds: number, timeZone: string): number {
  return zonedInstant(date, Math.floor(seconds / 60), timeZone) + (seconds % 60) * 1000;
}

/**
 * The instant written in `text`: an ISO time with an offset as written, otherwise a
 * date (and a time of day, midnight when absent) in `timeZone`. Null when `text`
 * holds no date.
 */
export function parseReportTime(text: string, timeZone: string): number | null {
  const explicit = EXPLICIT_OFFSET.exec(text);
  if (explicit) {
    const at = Date.parse(explicit[0].replace(' ', 'T').replace(/\s+/g, ''));
    if (Number.isFinite(at)) return at;
  }
  const found = findLocalDate(text);
  if (!found) return null;
  const seconds = parseTimeOfDay(text.slice(found.end)) ?? parseTimeOfDay(text.slice(0, found.end).replace(/\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.]\d{1,2}[/.]\d{4}/g, '')) ?? 0;
  return localInstant(found.date, seconds, timeZone);
}
