/**
 * The figures a reliability test file reports (inputs tried, faults injected,
 * duplicates found…), printed as one summary line when the file ends, so the
 * closing note of the issue can quote them.
 */
import { after } from 'node:test';

export interface Figures {
  /** Adds `n` (default 1) to a counter. */
  add(name: string, n?: number): void;
  /** Sets a figure to a value (a measurement rather than a count). */
  set(name: string, value: number | string): void;
  get(name: string): number;
}

/** Figures of one test file; `after` prints `[reliability:<file>] a=1 b=2 …`. */
export function figures(file: string): Figures {
  const values = new Map<string, number | string>();
  after(() => {
    const line = [...values].map(([name, value]) => `${name}=${value}`).join(' ');
    console.log(`[reliability:${file}] ${line}`);
  });
  return {
    add(name, n = 1) {
      values.set(name, Number(values.get(name) ?? 0) + n);
    },
    set(name, value) {
      values.set(name, value);
    },
    get(name) {
      return Number(values.get(name) ?? 0);
    },
  };
}
