/**
 * A schedule in words, as the console and the API show it:
 * "Mon–Fri at 22:00 Europe/Berlin, 4 h grace".
 */
import { formatHours } from './format.ts';
import type { Schedule } from './schedule-spec.ts';

const WEEKDAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** The schedule in words; calendar kinds name their timezone and grace. */
export function describeSchedule(schedule: Schedule, timezone: string, graceMs: number): string {
  const tail = ` ${timezone}, ${formatHours(graceMs / 3_600_000)} grace`;
  switch (schedule.kind) {
    case 'interval':
      return `Every ${formatHours(schedule.hours)}`;
    case 'weekly':
      return `${weekdays(schedule.days)} at ${listOf([...new Set(schedule.times)].sort())}${tail}`;
    case 'monthly':
      return `Monthly on the ${listOf(monthDays(schedule.days))} at ${listOf([...new Set(schedule.times)].sort())}${tail}`;
    case 'cron':
      return `Cron "${schedule.expression.trim().split(/\s+/).join(' ')}"${tail}`;
  }
}

/** "Daily", "Mon–Fri", "Mon, Wed and Fri", "Sat and Sun": runs of three or more days collapse. */
function weekdays(days: readonly number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  if (sorted.length === 7) return 'Daily';
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    if (j - i >= 2) parts.push(`${WEEKDAY_NAMES[sorted[i]! - 1]}–${WEEKDAY_NAMES[sorted[j]! - 1]}`);
    else for (let k = i; k <= j; k++) parts.push(WEEKDAY_NAMES[sorted[k]! - 1]!);
    i = j + 1;
  }
  return listOf(parts);
}

/** "1st", "15th", "last day" (last). */
function monthDays(days: readonly number[]): string[] {
  const sorted = [...new Set(days)].sort((a, b) => (a === -1 ? 1 : b === -1 ? -1 : a - b));
  return sorted.map((day) => (day === -1 ? 'last day' : ordinal(day)));
}

function ordinal(day: number): string {
  const suffix = day % 10 === 1 && day !== 11 ? 'st' : day % 10 === 2 && day !== 12 ? 'nd' : day % 10 === 3 && day !== 13 ? 'rd' : 'th';
  return `${day}${suffix}`;
}

/** "a", "a and b", "a, b and c". */
function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
