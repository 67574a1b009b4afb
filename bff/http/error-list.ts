/**
 * Per-row errors of a big input (a CSV import of 50,000 rows), gathered without
 * building the whole list (docs/security.md): the first `MAX_LISTED_ERRORS` by row are kept,
 * the rest only counted.
 */
import type { Problem } from '../../core/api.ts';
import { MAX_LISTED_ERRORS } from './problem.ts';

type RowError = NonNullable<Problem['errors']>[number];

export class RowErrorList {
  private kept: RowError[] = [];
  private readonly badRows = new Set<number>();
  /** Every error added, kept or not. */
  count = 0;

  add(error: RowError): void {
    this.count++;
    if (error.row !== undefined) this.badRows.add(error.row);
    this.kept.push(error);
    // Errors arrive mostly in row order from two sources: trim now and then, not per add.
    if (this.kept.length >= 2 * MAX_LISTED_ERRORS) this.kept = this.first();
  }

  /** Rows with at least one error. */
  get rowCount(): number {
    return this.badRows.size;
  }

  /** The first errors by row, at most MAX_LISTED_ERRORS. */
  first(): RowError[] {
    return [...this.kept].sort((a, b) => (a.row ?? 0) - (b.row ?? 0)).slice(0, MAX_LISTED_ERRORS);
  }
}
