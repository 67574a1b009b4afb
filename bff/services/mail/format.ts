/** Small formatters shared by the e-mail and the export renderers. */

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/** `1.5 GB` (decimal units, as backup consoles show them). */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value >= 100 ? Math.round(value) : Math.round(value * 10) / 10} ${units[unit]}`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * `24 Nov 2026, 08:00` in `timeZone` (falls back to UTC for an unknown zone); with
 * `zoneLabel`, the zone's short name follows (`24 Nov 2026, 08:00 CET`), so no time
 * in a message can be read in the wrong zone.
 */
export function formatDateTime(at: string | number, timeZone: string, zoneLabel = false): string {
  const date = new Date(at);
  const text = cachedFormat(`${timeZone}|time`, timeZone, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date);
  return zoneLabel ? `${text} ${zoneName(date, timeZone)}` : text;
}

const OFFSET_NAME = /^(GMT|UTC)[+\-−]/;

/**
 * The zone's short name at that instant. British English names Europe's zones (CET,
 * CEST, BST) but only offsets elsewhere ("GMT-6"); American English names North
 * America's (CST, EDT): take whichever gives a name, else the offset.
 */
function zoneName(date: Date, timeZone: string): string {
  const name = (locale: string) =>
    cachedFormat(`${timeZone}|zone|${locale}`, timeZone, { timeZoneName: 'short' }, locale)
      .formatToParts(date)
      .find((part) => part.type === 'timeZoneName')?.value ?? 'UTC';
  const british = name('en-GB');
  if (!OFFSET_NAME.test(british)) return british;
  const american = name('en-US');
  return OFFSET_NAME.test(american) ? british : american;
}

function cachedFormat(key: string, timeZone: string, options: Intl.DateTimeFormatOptions, locale = 'en-GB'): Intl.DateTimeFormat {
  let formatter = formatters.get(key);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    } catch {
      // An unknown zone: UTC (the rules' own clock).
      formatter = new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' });
    }
    formatters.set(key, formatter);
  }
  return formatter;
}

/** `24 Nov 2026` in `timeZone`. */
export function formatDate(at: string | number, timeZone: string): string {
  return formatDateTime(at, timeZone).replace(/,?\s+\d{2}:\d{2}$/, '');
}

/** `97.5 %`, or `—` for null. */
export function formatRate(percent: number | null): string {
  return percent === null ? '—' : `${percent} %`;
}

/**
 * Rule texts (alert reasons) state their times in UTC (`2026-11-20 04:00 UTC`); a
 * message read in another timezone restates them in it, labelled, so one message
 * never mixes two clocks.
 */
export function inTimeZone(text: string, timeZone: string): string {
  return text.replace(/\b(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}) UTC\b/g, (_, date: string, time: string) => formatDateTime(`${date}T${time}:00Z`, timeZone, true));
}
