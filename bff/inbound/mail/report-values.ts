/**
 * Values every report format shares: result words and data sizes as products print
 * them.
 */
import type { CompletedJobStatus } from '../../../core/types.ts';

// The words the report formats use (Veeam: Success/Warning/Failed; the CSV convention: all of them).
const STATUS_WORDS: Record<string, CompletedJobStatus> = {
  success: 'success', successful: 'success', finished: 'success', normal: 'success',
  warning: 'warning',
  failure: 'failed', failed: 'failed', error: 'failed', fatal: 'failed',
};

/** The job status a result word means (case-insensitive), null for a word no format uses. */
export function statusFromWord(word: string): CompletedJobStatus | null {
  return STATUS_WORDS[word.trim().toLowerCase()] ?? null;
}

const UNITS: Record<string, number> = { b: 1, byte: 1, bytes: 1, kb: 1024, kib: 1024, mb: 1024 ** 2, mib: 1024 ** 2, gb: 1024 ** 3, gib: 1024 ** 3, tb: 1024 ** 4, tib: 1024 ** 4, pb: 1024 ** 5, pib: 1024 ** 5 };

/**
 * Bytes of a size such as `60 GB`, `640,5 MB`, `1.2 TiB` or `123456` (plain bytes);
 * units are binary, as backup products count them. Null when unreadable.
 */
export function parseDataSize(text: string): number | null {
  const match = /^\s*(\d+(?:[.,]\d+)?)\s*([a-z]*)\s*$/i.exec(text.replace(/(\d)[ \u00a0,](?=\d{3}\b)/g, '$1'));
  if (!match) return null;
  const unit = match[2]!.toLowerCase() || 'b';
  const factor = UNITS[unit];
  if (factor === undefined) return null;
  const bytes = Math.round(Number(match[1]!.replace(',', '.')) * factor);
  return Number.isSafeInteger(bytes) ? bytes : null;
}

/** A message cut to the length a job message may have. */
export function jobMessage(text: string | null | undefined): string | null {
  const trimmed = (text ?? '').replace(/\s+/g, ' ').trim();
  return trimmed === '' ? null : trimmed.slice(0, 4_000);
}
