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
  const key = `${timeZone}|${zoneLabel}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    const options: Intl.DateTimeFormatOptions = {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      ...(zoneLabel ? { timeZoneName: 'short' } : {}),
    };
    try {
      formatter = new Intl.DateTimeFormat('en-GB', { ...options, timeZone });
    } catch {
      formatter = new Intl.DateTimeFormat('en-GB', { ...options, timeZone: 'UTC' });
    }
    formatters.set(key, formatter);
  }
  return formatter.format(new Date(at));
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
