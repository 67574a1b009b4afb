/**
 * Validation findings that name the field they are about, in the shape of a
 * problem+json `errors` entry, so the BFF can answer them as they are.
 */

/** One rule an input breaks: `path` is the field ("weekly.days", "endsAt"), `message` says what is expected. */
export interface FieldIssue {
  path: string;
  message: string;
}

// Control characters (C0, DEL, C1) never belong in a name a person typed.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Issues of a required, one-line text: present, at most `maxLength` characters, no control characters. */
export function textIssues(path: string, value: string, maxLength: number): FieldIssue[] {
  if (value.trim() === '') return [{ path, message: `${path} must not be empty` }];
  if (value.length > maxLength) return [{ path, message: `${path} must be at most ${maxLength} characters` }];
  if (CONTROL.test(value)) return [{ path, message: `${path} must not contain control characters` }];
  return [];
}

/** Whether `zone` is an IANA timezone the platform knows ("Europe/Berlin", "UTC"). */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone !== '';
  } catch {
    return false;
  }
}

/** Whether `value` is an instant core can compute with (integer epoch milliseconds). */
export function isInstant(value: number): boolean {
  return Number.isSafeInteger(value);
}
