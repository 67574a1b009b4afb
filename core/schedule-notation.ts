/**
 * A schedule in one CSV cell (issue #14): `interval:4`, `weekly:1-5@22:00`,
 * `monthly:-1@23:30`, `cron:0 22 * * 1-5`. Days are ISO weekdays 1 (Monday)–7 or days of
 * the month 1–31 / -1, as lists and ranges (`1,3,5`, `1-5`); several times are joined
 * with `+` (`weekly:1-5@12:00+22:00`). Pure; the rules (a valid cron line, times in
 * range) are `scheduleProblems`' — this only reads the notation.
 */
import type { Schedule } from './schedule-spec.ts';

export type NotationResult = { schedule: Schedule } | { error: string };

const EXAMPLES = 'e.g. "interval:4", "weekly:1-5@22:00", "monthly:-1@23:30" or "cron:0 22 * * 1-5"';

/** `1-5,7` → [1,2,3,4,5,7]; null when a part is not a number or a range runs backwards. */
function dayList(text: string): number[] | null {
  const days: number[] = [];
  for (const part of text.split(',')) {
    const range = /^\s*(-?\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!range) return null;
    const from = Number(range[1]);
    const to = range[2] === undefined ? from : Number(range[2]);
    if (to < from || to - from > 31) return null;
    for (let day = from; day <= to; day++) days.push(day);
  }
  return [...new Set(days)];
}

/** The schedule a cell describes, or why it cannot be read. */
export function parseScheduleNotation(cell: string): NotationResult {
  const text = cell.trim();
  const colon = text.indexOf(':');
  const kind = colon < 0 ? '' : text.slice(0, colon).trim().toLowerCase();
  const rest = colon < 0 ? '' : text.slice(colon + 1).trim();
  switch (kind) {
    case 'interval': {
      const hours = Number(rest);
      return rest !== '' && Number.isFinite(hours) && hours > 0 ? { schedule: { kind: 'interval', hours } } : { error: `"${text}": interval needs hours, e.g. "interval:4"` };
    }
    case 'cron':
      return rest ? { schedule: { kind: 'cron', expression: rest.replace(/\s+/g, ' ') } } : { error: `"${text}": cron needs a five-field line, e.g. "cron:0 22 * * 1-5"` };
    case 'weekly':
    case 'monthly': {
      const [daysText, timesText, extra] = rest.split('@');
      const days = daysText === undefined ? null : dayList(daysText);
      const times = timesText?.split('+').map((time) => time.trim()) ?? [];
      if (!days || days.length === 0 || extra !== undefined || times.length === 0 || times.some((time) => time === '')) {
        return { error: `"${text}": ${kind} needs days and times, e.g. "${kind === 'weekly' ? 'weekly:1-5@22:00' : 'monthly:-1@23:30'}"` };
      }
      return { schedule: { kind, days, times } };
    }
    default:
      return { error: `"${text}" is not a schedule; ${EXAMPLES}` };
  }
}

/** A schedule in the notation (the inverse of parseScheduleNotation, for exports and messages). */
export function formatScheduleNotation(schedule: Schedule): string {
  switch (schedule.kind) {
    case 'interval':
      return `interval:${schedule.hours}`;
    case 'cron':
      return `cron:${schedule.expression}`;
    default:
      return `${schedule.kind}:${schedule.days.join(',')}@${schedule.times.join('+')}`;
  }
}
