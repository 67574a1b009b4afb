/**
 * Text formatting shared by the reason and note sentences. Deterministic: no locale,
 * no timezone other than UTC.
 */
import { HOUR, type Instant } from './types.ts';

/** `2026-11-20 04:00 UTC`. */
export function formatUtc(at: Instant): string {
  const iso = new Date(at).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** A policy or SLA length: `4 h`, `1.5 h`, `30 min`. */
export function formatHours(hours: number): string {
  if (hours < 1) return `${Math.round(hours * 60)} min`;
  return `${Math.round(hours * 10) / 10} h`;
}

/** An elapsed time in one unit: whole minutes under an hour, whole hours under 72 h, else whole days. */
export interface ElapsedParts {
  value: number;
  unit: 'minute' | 'hour' | 'day';
}

/**
 * The one rounding rule for elapsed times, in every reason, e-mail and widget: rounded
 * down (5 d 23 h is "5 d", and "5 days ago", never "6"), days from 72 h on.
 */
export function elapsedParts(ms: number): ElapsedParts {
  const elapsed = Math.max(0, ms);
  if (elapsed < HOUR) return { value: Math.floor(elapsed / 60_000), unit: 'minute' };
  if (elapsed < 72 * HOUR) return { value: Math.floor(elapsed / HOUR), unit: 'hour' };
  return { value: Math.floor(elapsed / (24 * HOUR)), unit: 'day' };
}

const ELAPSED_UNITS: Record<ElapsedParts['unit'], string> = { minute: 'min', hour: 'h', day: 'd' };

/** An elapsed time, rounded down: `35 min`, `53 h`, `12 d` (days from 72 h on). */
export function formatElapsed(ms: number): string {
  const { value, unit } = elapsedParts(ms);
  return `${value} ${ELAPSED_UNITS[unit]}`;
}

/** `45 %`, rounded to a whole percent. */
export function formatPercent(ratio: number): string {
  return `${Math.round(ratio * 100)} %`;
}

/** Rounds to one decimal: 12.345 → 12.3. */
export function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** `1 failure` / `3 failures`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
