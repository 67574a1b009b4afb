/**
 * Times, bytes and numbers in the widgets' locale (`formatLocale()`: the `lang` in force,
 * else the browser's). The API sends ISO-8601 UTC; a view states every time in one
 * timezone — the tenant's, or the client's in a client view (`ViewTimeZoneController`) —
 * and every absolute time carries that zone's label ("24 Nov 2026, 22:00 CET"). Relative
 * times follow core's one rounding rule (`elapsedParts`: rounded down), so "5 days ago"
 * stands beside a reason's "5 d". Formatters are cached per locale and zone: the table
 * formats thousands of cells.
 */
import { html, type TemplateResult } from 'lit';
import { msg } from '@lit/localize';
import { elapsedParts } from '../../core/format.ts';
import { formatLocale } from './locale.ts';

const formats = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>();

/** One cached formatter per kind, options key and locale. */
function cached<F extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>(key: string, locale: string | undefined, make: (locale: string | undefined) => F): F {
  const id = `${key}|${locale ?? ''}`;
  let format = formats.get(id) as F | undefined;
  if (!format) formats.set(id, (format = make(locale)));
  return format;
}

function numberFormat(key: string, options: Intl.NumberFormatOptions, locale = formatLocale()): Intl.NumberFormat {
  return cached(key, locale, (tag) => new Intl.NumberFormat(tag, options));
}

/** A date formatter in `timeZone` (undefined: the viewer's); an unknown zone reads as UTC rather than failing the view. */
function dateFormat(key: string, options: Intl.DateTimeFormatOptions, timeZone: string | undefined, locale = formatLocale()): Intl.DateTimeFormat {
  return cached(`${key}|${timeZone ?? ''}`, locale, (tag) => {
    try {
      return new Intl.DateTimeFormat(tag, { ...options, timeZone });
    } catch {
      return new Intl.DateTimeFormat(tag, { ...options, timeZone: 'UTC' });
    }
  });
}

const parsed = (iso: string | null | undefined): number | null => {
  const at = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(at) ? null : at;
};

/**
 * "3 hours ago", "in 2 days", "now"; `fallback` for a missing time. Rounded down like
 * every elapsed time in the product (core's `elapsedParts`): hours until 72 h, then days.
 */
export function formatRelativeTime(iso: string | null | undefined, now: number = Date.now(), fallback = msg('Never'), locale = formatLocale()): string {
  const at = parsed(iso);
  if (at === null) return fallback;
  const relativeFormat = cached('relative', locale, (tag) => new Intl.RelativeTimeFormat(tag, { numeric: 'auto' }));
  const { value, unit } = elapsedParts(Math.abs(at - now));
  // Under a minute (either way: server and viewer clocks drift a little) reads "now".
  if (unit === 'minute' && value === 0) return relativeFormat.format(0, 'second');
  return relativeFormat.format(at < now ? -value : value, unit);
}

const DATE_TIME: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' };

/** "24 Nov 2026, 22:00 CET": the time in `timeZone` with the zone's label. */
export function formatDateTime(iso: string | null | undefined, timeZone?: string, fallback = '—', locale = formatLocale()): string {
  const at = parsed(iso);
  return at === null ? fallback : dateFormat('datetime', DATE_TIME, timeZone, locale).format(at);
}

/** "22:00 CET": the time of day alone, labelled (for the end of a span that starts the same day). */
export function formatTime(iso: string | null | undefined, timeZone?: string, fallback = '—', locale = formatLocale()): string {
  const at = parsed(iso);
  return at === null ? fallback : dateFormat('time', { hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }, timeZone, locale).format(at);
}

/** "24 Nov 2026": the day in `timeZone`, for chart axes and report periods (the view states its zone). */
export function formatDate(iso: string | null | undefined, timeZone?: string, fallback = '—', locale = formatLocale()): string {
  const at = parsed(iso);
  return at === null ? fallback : dateFormat('date', { dateStyle: 'medium' }, timeZone, locale).format(at);
}

/** The calendar day (`YYYY-MM-DD`) of an instant in `timeZone`: a date input's value. */
export function localDay(at: number, timeZone?: string): string {
  // en-CA writes days as YYYY-MM-DD.
  return dateFormat('day', { year: 'numeric', month: '2-digit', day: '2-digit' }, timeZone, 'en-CA').format(at);
}

/**
 * A relative time with the absolute one (in `timeZone`, labelled) in the tooltip and,
 * for screen readers, in the text itself (a `title` is not reliably announced).
 */
export function renderTime(iso: string | null | undefined, now: number = Date.now(), timeZone?: string, fallback = msg('Never')): TemplateResult {
  if (!iso) return html`<span class="muted">${fallback}</span>`;
  const absolute = formatDateTime(iso, timeZone);
  return html`<time datetime=${iso} title=${absolute}>${formatRelativeTime(iso, now, fallback)}<span class="visually-hidden"> (${absolute})</span></time>`;
}

/**
 * Rule texts (alert and health reasons) state their times in UTC ("2026-11-20 04:00
 * UTC"); a view restates them in its own zone, labelled, so it never mixes two clocks.
 */
export function inViewTimeZone(text: string, timeZone?: string): string {
  return text.replace(/\b(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}) UTC\b/g, (_, date: string, time: string) => formatDateTime(`${date}T${time}:00Z`, timeZone));
}

const BYTE_UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte', 'petabyte'] as const;

/** "12.3 GB" (decimal units, localized); `fallback` when unknown. */
export function formatBytes(bytes: number | null | undefined, fallback = '—', locale = formatLocale()): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return fallback;
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = value < 10 && unit > 0 ? 1 : 0;
  return numberFormat(`bytes-${unit}-${digits}`, {
    style: 'unit',
    unit: BYTE_UNITS[unit],
    // Short bytes read "3 byte" in English: spelled out below a kilobyte ("3 bytes", "3 Byte").
    unitDisplay: unit === 0 ? 'long' : 'short',
    maximumFractionDigits: digits,
  }, locale).format(value);
}

/** A percentage given as 0–100 ("98.5 %" in the viewer's style); `fallback` for null. */
export function formatPercent(percent: number | null | undefined, fallback = '—', locale = formatLocale()): string {
  if (percent === null || percent === undefined || !Number.isFinite(percent)) return fallback;
  return numberFormat('percent', { style: 'percent', maximumFractionDigits: 1 }, locale).format(percent / 100);
}

/** "1,234" ("1.234" in German). */
export function formatCount(count: number, locale = formatLocale()): string {
  return numberFormat('count', {}, locale).format(count);
}

/** Only http(s) links from data are rendered, so a `javascript:` URL can never run. */
export function safeHttpUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url, document.baseURI);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** Renders `value` when present, else a muted dash that screen readers hear as "none". */
export function orDash(value: unknown): unknown {
  return value === null || value === undefined || value === ''
    ? html`<span class="muted"><span aria-hidden="true">—</span><span class="visually-hidden">${msg('none')}</span></span>`
    : value;
}
