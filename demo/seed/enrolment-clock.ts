/**
 * The BFF's clock in the demo: it runs behind while the fleet is enrolled, so devices
 * are enrolled as of the start of their seeded history (as if onboarded a month ago)
 * rather than at seeding time. The rules count silence, runs and compliance from
 * enrolment at the earliest: enrolled "now", no laptop could show offline, the 14-run
 * strip would be empty and last month's compliance would have no devices.
 */
import { DAY } from '../../core/types.ts';

export interface EnrolmentClock {
  /** The BFF's time: the wall clock, or behind it while enrolling. */
  (): number;
  /** From now until `resume()`, the clock reads `days` (plus one) earlier. */
  backdate(days: number): void;
  resume(): void;
}

export function enrolmentClock(wall: () => number = Date.now): EnrolmentClock {
  let behind = 0;
  const clock = (() => wall() - behind) as EnrolmentClock;
  clock.backdate = (days) => void (behind = (days + 1) * DAY);
  clock.resume = () => void (behind = 0);
  return clock;
}
