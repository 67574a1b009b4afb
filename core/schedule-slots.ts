/**
 * The slots (run times) of a calendar schedule in a timezone, as instants.
 *
 * Slots are enumerated per local day over `zoned-time.ts`, so the DST rules are the
 * platform tz database's: a time skipped by a spring-forward change falls on the
 * change (several skipped times become one slot), and a time repeated by an autumn
 * change is taken at its first occurrence only.
 *
 * Evaluations ask for "the first slot after t" for every device of a sweep, so each
 * calendar keeps the slots of the local days it has enumerated in one sorted array
 * and answers by binary search; days are added at either end when a question falls
 * outside. One calendar serves every device with the same schedule and timezone
 * (`slotCalendar` memoises them).
 */
import type { CalendarRule } from './schedule-calendar.ts';
import { DAY, type Instant } from './types.ts';
import { addDays, isoWeekday, localDateTime, offsetAt, zonedInstant, type LocalDate } from './zoned-time.ts';

const MINUTE = 60_000;
/** Every UTC offset lies within −12 h … +14 h: a local date's wall times fall within these margins of its UTC midnight. */
const EARLIEST_OFFSET_MARGIN = 14 * 3_600_000;
const LATEST_OFFSET_MARGIN = 12 * 3_600_000;
/** Enumerated days are added this many at a time. */
const CHUNK_DAYS = 14;
/** A question this far outside the enumerated days starts afresh instead of extending. */
const FAR = 120 * DAY;
/** Searching gives up after this long without a slot (Feb 29 on a weekday comes within 28 years; Feb 29 alone within 8). */
const SEARCH_LIMIT = 8 * 366 * DAY + 2 * DAY;
/** Start afresh rather than keep more slots than this (a cron line firing every minute). */
const MAX_CACHED_SLOTS = 200_000;

/** The slots of one calendar rule in one timezone. */
export class SlotCalendar {
  private slots: Instant[] = [];
  private firstDate: LocalDate = { year: 1970, month: 1, day: 1 };
  private endDate: LocalDate = this.firstDate;
  private coverFrom = 0;
  private coverTo = 0;
  private empty = true;

  constructor(
    private readonly rule: CalendarRule,
    readonly timeZone: string,
  ) {}

  /** The first slot strictly after `at`; null when none comes within eight years. */
  slotAfter(at: Instant): Instant | null {
    this.cover(at);
    for (;;) {
      const index = upperBound(this.slots, at);
      if (index < this.slots.length) return this.slots[index]!;
      if (this.coverTo - at > SEARCH_LIMIT) return null;
      this.extendForward();
    }
  }

  /** The last slot at or before `at`; null when none came within eight years. */
  slotAtOrBefore(at: Instant): Instant | null {
    this.cover(at);
    for (;;) {
      const index = upperBound(this.slots, at) - 1;
      if (index >= 0) return this.slots[index]!;
      if (at - this.coverFrom > SEARCH_LIMIT) return null;
      this.extendBackward();
    }
  }

  /** The slots in `(from, to]`, ascending. */
  slotsBetween(from: Instant, to: Instant): Instant[] {
    if (to <= from) return [];
    this.cover(from);
    while (this.coverTo <= to) this.extendForward();
    return this.slots.slice(upperBound(this.slots, from), upperBound(this.slots, to));
  }

  /** How many slots lie in `(from, to]`. */
  countBetween(from: Instant, to: Instant): number {
    if (to - from > FAR) return this.countByDays(from, to);
    if (to <= from) return 0;
    this.cover(from);
    while (this.coverTo <= to) this.extendForward();
    return upperBound(this.slots, to) - upperBound(this.slots, from);
  }

  /** Long ranges are counted without keeping their slots (a device offline for months). */
  private countByDays(from: Instant, to: Instant): number {
    let count = 0;
    let date = addDays(localDateTime(from, this.timeZone), -1);
    for (let start = zonedInstant(date, 0, this.timeZone); start <= to; date = addDays(date, 1), start = zonedInstant(date, 0, this.timeZone)) {
      for (const slot of this.daySlots(date)) if (slot > from && slot <= to) count += 1;
    }
    return count;
  }

  /** Makes sure `at` lies inside the enumerated days. */
  private cover(at: Instant): void {
    if (this.empty || at < this.coverFrom - FAR || at >= this.coverTo + FAR || this.slots.length > MAX_CACHED_SLOTS) {
      const date = localDateTime(at, this.timeZone);
      this.firstDate = addDays(date, -1);
      this.endDate = this.firstDate;
      this.slots = [];
      this.coverFrom = this.coverTo = zonedInstant(this.firstDate, 0, this.timeZone);
      this.empty = false;
    }
    while (at < this.coverFrom) this.extendBackward();
    while (at >= this.coverTo) this.extendForward();
  }

  private extendForward(): void {
    const { slots: added, end } = this.chunkSlots(this.endDate);
    for (const slot of added) if (this.slots.length === 0 || slot > this.slots[this.slots.length - 1]!) this.slots.push(slot);
    this.endDate = addDays(this.endDate, CHUNK_DAYS);
    this.coverTo = end;
  }

  private extendBackward(): void {
    const newFirst = addDays(this.firstDate, -CHUNK_DAYS);
    const { slots: added, start } = this.chunkSlots(newFirst);
    const first = this.slots[0];
    this.slots = [...(first === undefined ? added : added.filter((slot) => slot < first)), ...this.slots];
    this.firstDate = newFirst;
    this.coverFrom = start;
  }

  /**
   * The slots of CHUNK_DAYS local days from `from`, and the instants of the chunk's
   * first and end midnights. When the offset is the same on both sides of the chunk
   * (no DST change inside: most chunks), every wall time maps by that one offset;
   * otherwise day by day through `zonedInstant`.
   */
  private chunkSlots(from: LocalDate): { slots: Instant[]; start: Instant; end: Instant } {
    const end = addDays(from, CHUNK_DAYS);
    const fromMidnight = Date.UTC(from.year, from.month - 1, from.day);
    const endMidnight = Date.UTC(end.year, end.month - 1, end.day);
    const offset = offsetAt(fromMidnight - EARLIEST_OFFSET_MARGIN, this.timeZone);
    const slots: Instant[] = [];
    if (offset === offsetAt(endMidnight + LATEST_OFFSET_MARGIN, this.timeZone)) {
      for (let date = from, midnight = fromMidnight; midnight < endMidnight; date = addDays(date, 1), midnight += DAY) {
        if (!this.matches(date)) continue;
        for (const minute of this.rule.minutesOfDay) slots.push(midnight + minute * MINUTE - offset);
      }
      return { slots, start: fromMidnight - offset, end: endMidnight - offset };
    }
    for (let date = from, i = 0; i < CHUNK_DAYS; i++, date = addDays(date, 1)) {
      for (const slot of this.daySlots(date)) if (slots.length === 0 || slot > slots[slots.length - 1]!) slots.push(slot);
    }
    return { slots, start: zonedInstant(from, 0, this.timeZone), end: zonedInstant(end, 0, this.timeZone) };
  }

  private matches(date: LocalDate): boolean {
    return this.rule.matchesDay(date, isoWeekday(date), lastDayOfMonth(date));
  }

  /** The slots of one local day, ascending and distinct. */
  private daySlots(date: LocalDate): Instant[] {
    if (!this.matches(date)) return [];
    const start = zonedInstant(date, 0, this.timeZone);
    const next = zonedInstant(addDays(date, 1), 0, this.timeZone);
    const minutes = this.rule.minutesOfDay;
    // A day without an offset change is 24 h long: every slot is midnight plus its minutes.
    if (next - start === DAY) return minutes.map((minute) => start + minute * MINUTE);
    const slots: Instant[] = [];
    for (const minute of minutes) {
      const slot = zonedInstant(date, minute, this.timeZone);
      if (slots.length === 0 || slot > slots[slots.length - 1]!) slots.push(slot);
    }
    return slots;
  }
}

/** The number of days in `date`'s month. */
export function lastDayOfMonth(date: LocalDate): number {
  return new Date(Date.UTC(date.year, date.month, 0)).getUTCDate();
}

/** First index whose value is greater than `value` (the array ascending). */
function upperBound(values: readonly number[], value: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (values[middle]! <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}
