/**
 * Five-field cron lines (minute hour day-of-month month day-of-week) as croner reads
 * them: numbers, `*`, `?`, ranges `a-b`, steps `*\/n` `a-b/n` `a/n`, lists, month and
 * weekday names (JAN, MON), Sunday as 0 or 7, and `L` (last day) in day-of-month.
 * When both day fields are restricted a day matches either (as in Vixie cron and
 * croner's default).
 */
import type { CalendarRule } from './schedule-calendar.ts';
import { ScheduleProblem } from './schedule-problem.ts';

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day-of-week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

const FIELD = 'schedule.expression';

/** The calendar rule of a cron line. Throws a `ScheduleProblem` naming the bad field. */
export function parseCron(expression: string): CalendarRule {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5 || parts[0] === '') {
    throw new ScheduleProblem(FIELD, `Expected five cron fields (minute hour day-of-month month day-of-week), got ${parts[0] === '' ? 0 : parts.length}`);
  }
  let lastDayOfMonth = false;
  const domPart = parts[2]!.split(',').filter((item) => {
    if (item.toUpperCase() !== 'L') return true;
    lastDayOfMonth = true;
    return false;
  });
  const [minutes, hours, , months, weekdays] = parts.map((part, index) => (index === 2 ? new Set<number>() : parseField(part, FIELDS[index]!)));
  const daysOfMonth = domPart.length > 0 ? parseField(domPart.join(','), FIELDS[2]!) : new Set<number>();
  if (weekdays!.has(7)) weekdays!.add(0);
  const domRestricted = !isWildcard(parts[2]!);
  const dowRestricted = !isWildcard(parts[4]!);
  const minuteList = [...minutes!].sort((a, b) => a - b);
  const minutesOfDay = [...hours!].sort((a, b) => a - b).flatMap((hour) => minuteList.map((minute) => hour * 60 + minute));
  return {
    minutesOfDay,
    matchesDay(date, weekday, lastDay) {
      if (!months!.has(date.month)) return false;
      const domMatch = daysOfMonth.has(date.day) || (lastDayOfMonth && date.day === lastDay);
      const dowMatch = weekdays!.has(weekday % 7);
      if (domRestricted && dowRestricted) return domMatch || dowMatch;
      if (domRestricted) return domMatch;
      if (dowRestricted) return dowMatch;
      return true;
    },
  };
}

function isWildcard(part: string): boolean {
  return part === '*' || part === '?';
}

function parseField(part: string, spec: FieldSpec): Set<number> {
  const values = new Set<number>();
  for (const item of part.split(',')) {
    const match = /^(\*|\?|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d+))?$/.exec(item);
    if (!match) throw new ScheduleProblem(FIELD, `The ${spec.name} field "${part}" is not valid cron syntax`);
    const [, range, stepText] = match;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step < 1) throw new ScheduleProblem(FIELD, `The ${spec.name} field "${part}" has a step of 0`);
    let from = spec.min;
    let to = spec.name === 'day-of-week' ? 6 : spec.max;
    if (range !== '*' && range !== '?') {
      const [start, end] = range!.split('-');
      from = valueOf(start!, spec, part);
      to = end !== undefined ? valueOf(end, spec, part) : stepText !== undefined ? to : from;
      if (from > to) throw new ScheduleProblem(FIELD, `The ${spec.name} field "${part}" has a range that runs backwards`);
    }
    for (let value = from; value <= to; value += step) values.add(value);
  }
  return values;
}

function valueOf(text: string, spec: FieldSpec, part: string): number {
  const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return spec.name === 'month' ? named + 1 : named;
  if (!/^\d+$/.test(text)) throw new ScheduleProblem(FIELD, `The ${spec.name} field "${part}" has an unknown value "${text}"`);
  const value = Number(text);
  if (value < spec.min || value > spec.max) {
    throw new ScheduleProblem(FIELD, `The ${spec.name} field "${part}" is out of range ${spec.min}–${spec.max}`);
  }
  return value;
}
