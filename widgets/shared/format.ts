/**
 * Times, bytes and numbers in the widgets' locale (`formatLocale()`: the `lang` in force,
 * else the browser's) and the viewer's timezone (`Intl`); the API sends ISO-8601 UTC.
 * Every formatter takes an optional `locale` last; omitted, the page's. Formatters are
 * cached per locale: the table formats thousands of cells.
 */
import { html, type TemplateResult } from 'lit';
import { msg } from '@lit/localize';
import { formatLocale } from './locale.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

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

/** "3 hours ago", "in 2 days", "now"; `fallback` for a missing time. */
export function formatRelativeTime(iso: string | null | undefined, now: number = Date.now(), fallback = msg('Never'), locale = formatLocale()): string {
  if (!iso) return fallback;
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return fallback;
  const relativeFormat = cached('relative', locale, (tag) => new Intl.RelativeTimeFormat(tag, { numeric: 'auto' }));
  const diff = at - now;
  const size = Math.abs(diff);
  // Under 45 s (either way: server and viewer clocks drift a little) reads "now".
  if (size < 45_000) return relativeFormat.format(0, 'second');
  if (size < MINUTE) return relativeFormat.format(Math.round(diff / 1000), 'second');
  if (size < HOUR) return relativeFormat.format(Math.round(diff / MINUTE), 'minute');
  if (size < DAY) return relativeFormat.format(Math.round(diff / HOUR), 'hour');
  if (size < 30 * DAY) return relativeFormat.format(Math.round(diff / DAY), 'day');
  if (size < 365 * DAY) return relativeFormat.format(Math.round(diff / (30 * DAY)), 'month');
  return relativeFormat.format(Math.round(diff / (365 * DAY)), 'year');
}

/** "24 Nov 2026, 13:00" in the viewer's locale and timezone. */
export function formatDateTime(iso: string | null | undefined, fallback = '—', locale = formatLocale()): string {
  if (!iso) return fallback;
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return fallback;
  return cached('datetime', locale, (tag) => new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short' })).format(at);
}

/** "24 Nov 2026": a day, for chart axes and report periods. */
export function formatDate(iso: string | null | undefined, fallback = '—', locale = formatLocale()): string {
  if (!iso) return fallback;
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return fallback;
  return cached('date', locale, (tag) => new Intl.DateTimeFormat(tag, { dateStyle: 'medium' })).format(at);
}

/**
 * A relative time with the absolute one in the tooltip and, for screen readers, in the
 * text itself (a `title` is not reliably announced).
 */
export function renderTime(iso: string | null | undefined, now: number = Date.now(), fallback = msg('Never')): TemplateResult {
  if (!iso) return html`<span class="muted">${fallback}</span>`;
  const absolute = formatDateTime(iso);
  return html`<time datetime=${iso} title=${absolute}>${formatRelativeTime(iso, now, fallback)}<span class="visually-hidden"> (${absolute})</span></time>`;
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
    unitDisplay: 'short',
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
