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

/** An elapsed time, rounded down: `35 min`, `53 h`, `12 d` (days from 72 h on). */
export function formatElapsed(ms: number): string {
  const elapsed = Math.max(0, ms);
  if (elapsed < HOUR) return `${Math.floor(elapsed / 60_000)} min`;
  if (elapsed < 72 * HOUR) return `${Math.floor(elapsed / HOUR)} h`;
  return `${Math.floor(elapsed / (24 * HOUR))} d`;
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
