/**
 * A backup policy's schedule in words, in the page's language. The API answers its words
 * in English (`policy.text`, the schedule preview's `text`): English pages show those as
 * sent; other languages say the same from the schedule itself ("Mo–Fr um 22:00,
 * 4 h Kulanzzeit"). Only the settings chunk loads this.
 */
import { msg, str } from '@lit/localize';
import { graceMsOf } from '../../core/schedule-spec.ts';
import { HOUR } from '../../core/types.ts';
import { formatCount } from '../shared/format.ts';
import { getLocale } from '../shared/locale.ts';
import { sourceLocale } from '../locales/locale-codes.ts';
import type { Schedule } from './policy-api.ts';
import { list, ordinal } from './quiet-words.ts';

const shortWeekdays = (): string[] => [msg('Mon'), msg('Tue'), msg('Wed'), msg('Thu'), msg('Fri'), msg('Sat'), msg('Sun')];

/** "24 h", "1.5 h", "30 min" with the page's decimal sign. */
function hoursInWords(hours: number): string {
  if (hours < 1) {
    const minutes = formatCount(Math.round(hours * 60));
    return msg(str`${minutes} min`);
  }
  const rounded = formatCount(Math.round(hours * 10) / 10);
  return msg(str`${rounded} h`);
}

/** "Daily", "Mon–Fri", "Mon, Wed and Fri": runs of three or more days collapse. */
function weekdays(days: readonly number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  if (sorted.length === 7) return msg('Daily');
  const names = shortWeekdays();
  const name = (day: number) => names[day - 1] ?? String(day);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    if (j - i >= 2) parts.push(`${name(sorted[i]!)}–${name(sorted[j]!)}`);
    else for (let k = i; k <= j; k++) parts.push(name(sorted[k]!));
    i = j + 1;
  }
  return list(parts);
}

/** The schedule in words, with its grace (the policy's, else the default) and, when given, the timezone it is read in. */
export function scheduleWords(schedule: Schedule, graceHours: number | null | undefined, timezone?: string): string {
  if (schedule.kind === 'interval') {
    const every = hoursInWords(schedule.hours);
    return msg(str`Every ${every}`);
  }
  let when: string;
  if (schedule.kind === 'cron') {
    const line = schedule.expression.trim().split(/\s+/).join(' ');
    when = msg(str`Cron "${line}"`);
  } else {
    const times = list([...new Set(schedule.times)].sort());
    if (schedule.kind === 'weekly') {
      const days = weekdays(schedule.days);
      when = msg(str`${days} at ${times}`);
    } else {
      const days = list([...new Set(schedule.days)].sort((a, b) => (a === -1 ? 1 : b === -1 ? -1 : a - b)).map(ordinal));
      when = msg(str`Monthly on the ${days} at ${times}`);
    }
  }
  const grace = hoursInWords(graceMsOf({ schedule, timezone: timezone ?? 'UTC', ...(graceHours != null ? { graceHours } : {}) }) / HOUR);
  return timezone ? msg(str`${when} ${timezone}, ${grace} grace`) : msg(str`${when}, ${grace} grace`);
}

/** The API's English words on an English page, the schedule's own words otherwise. */
export function scheduleText(sent: string, schedule: Schedule, graceHours: number | null | undefined, timezone?: string): string {
  return getLocale() === sourceLocale ? sent : scheduleWords(schedule, graceHours, timezone);
}
