/**
 * What a clock time and a time zone are, once for the edge (contract/), the widgets and
 * the rules (zoned-time.ts reads the times; schedules and maintenance windows check
 * theirs here). No imports: the widget entry bundle takes only what it uses of this.
 */

/**
 * "HH:MM" from 00:00 to 23:59, or 24:00 for the end of the day (a business day ending at
 * midnight; a weekly e-mail at 24:00 leaves at the following midnight). Groups: hour, minute.
 */
export const CLOCK_TIME_PATTERN = /^(?:([01]\d|2[0-3]):([0-5]\d)|24:00)$/;

/** A clock time something starts at (a scheduled run, a maintenance window): 00:00–23:59, since 24:00 is the next day's 00:00. */
export function isStartTime(value: unknown): value is string {
  return typeof value === 'string' && value !== '24:00' && CLOCK_TIME_PATTERN.test(value);
}

/** True for an IANA time zone the runtime knows ("Europe/Berlin", "UTC"); false for anything else, '' and non-strings included. */
export function isTimeZone(value: unknown): boolean {
  if (typeof value !== 'string' || value === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
