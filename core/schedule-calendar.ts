/**
 * Calendar schedules reduced to one shape: which local days have runs, and at which
 * minutes after local midnight. Weekly, monthly and cron schedules all compile to it,
 * so one slot enumeration (`schedule-slots.ts`) serves them all.
 */
import { isStartTime } from './clock-time.ts';
import { parseCron } from './schedule-cron.ts';
import { ScheduleProblem } from './schedule-problem.ts';
import type { Schedule } from './schedule-spec.ts';
import { parseClock, type LocalDate } from './zoned-time.ts';

/** Which local days have runs, and when on them. */
export interface CalendarRule {
  /** Minutes after local midnight, ascending, distinct. */
  readonly minutesOfDay: readonly number[];
  /** Whether `date` (ISO `weekday`, its month's `lastDay`) has runs. */
  matchesDay(date: LocalDate, weekday: number, lastDay: number): boolean;
}

/** The calendar rule of a weekly, monthly or cron schedule. Throws a `ScheduleProblem`. */
export function calendarRuleOf(schedule: Exclude<Schedule, { kind: 'interval' }>): CalendarRule {
  switch (schedule.kind) {
    case 'cron':
      return parseCron(schedule.expression);
    case 'weekly': {
      const days = checkedDays(schedule.days, 1, 7, 'ISO weekday 1 (Monday) – 7 (Sunday)');
      return { minutesOfDay: minutesOf(schedule.times), matchesDay: (_date, weekday) => days.has(weekday) };
    }
    case 'monthly': {
      const days = checkedDays(schedule.days, 1, 31, 'day of the month 1–31, or -1 for the last day');
      return { minutesOfDay: minutesOf(schedule.times), matchesDay: (date, _weekday, lastDay) => days.has(date.day) || (days.has(-1) && date.day === lastDay) };
    }
  }
}

function checkedDays(days: readonly number[], min: number, max: number, expected: string): Set<number> {
  if (!Array.isArray(days) || days.length === 0) throw new ScheduleProblem('schedule.days', 'Give at least one day');
  days.forEach((day, index) => {
    const allowed = Number.isInteger(day) && ((day >= min && day <= max) || (max === 31 && day === -1));
    if (!allowed) throw new ScheduleProblem(`schedule.days[${index}]`, `${JSON.stringify(day)} is not a ${expected}`);
  });
  return new Set(days);
}

function minutesOf(times: readonly string[]): number[] {
  if (!Array.isArray(times) || times.length === 0) throw new ScheduleProblem('schedule.times', 'Give at least one time of day ("HH:MM")');
  const minutes = times.map((time, index) => {
    if (!isStartTime(time)) throw new ScheduleProblem(`schedule.times[${index}]`, `${JSON.stringify(time)} is not a time of day "HH:MM" (00:00–23:59)`);
    return parseClock(time);
  });
  return [...new Set(minutes)].sort((a, b) => a - b);
}
