/**
 * A schedule that cannot be used, naming the field at fault so the BFF can answer a
 * problem+json that points at it.
 */

/** Thrown by the schedule compilers; `field` is a path such as `schedule.times[1]`. */
export class ScheduleProblem extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'ScheduleProblem';
  }
}
