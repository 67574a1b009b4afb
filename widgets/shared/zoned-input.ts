/**
 * `datetime-local` inputs in the view's timezone (the tenant's), not the browser's, so a
 * time typed in a form reads the same as the times the view shows beside it.
 */
import { localDateTime, zonedInstant } from '../../core/zoned-time.ts';

const two = (n: number) => String(n).padStart(2, '0');

/** ISO → the value of a `datetime-local` input showing that instant in `timeZone` (undefined: the viewer's). */
export function zonedInputValue(iso: string | undefined, timeZone: string | undefined): string {
  if (!iso) return '';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '';
  if (!timeZone) return new Date(at - new Date(at).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  const local = localDateTime(at, timeZone);
  return `${local.year}-${two(local.month)}-${two(local.day)}T${two(local.hour)}:${two(local.minute)}`;
}

/** A `datetime-local` value read in `timeZone` (undefined: the viewer's) → ISO; '' for an empty or malformed value. */
export function fromZonedInput(value: string, timeZone: string | undefined): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
  if (!match) return '';
  if (!timeZone) return new Date(value).toISOString();
  const [, year, month, day, hour, minute] = match.map(Number) as [number, number, number, number, number, number];
  return new Date(zonedInstant({ year, month, day }, hour * 60 + minute, timeZone)).toISOString();
}
