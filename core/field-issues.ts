/**
 * Validation findings that name the field they are about, in the shape of a
 * problem+json `errors` entry, so the BFF can answer them as they are.
 */

/** One rule an input breaks: `path` is the field ("weekly.days", "endsAt"), `message` says what is expected. */
export interface FieldIssue {
  path: string;
  message: string;
}

// Control characters (C0, DEL, C1) never belong in text a person typed; a comment
// may still break lines.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL_BUT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/**
 * Issues of a required text: present, at most `maxLength` characters, no control
 * characters (line breaks and tabs allowed when `multiline`).
 */
export function textIssues(path: string, value: string, maxLength: number, multiline = false): FieldIssue[] {
  if (value.trim() === '') return [{ path, message: `${path} must not be empty` }];
  if (value.length > maxLength) return [{ path, message: `${path} must be at most ${maxLength} characters` }];
  if ((multiline ? CONTROL_BUT_LINE_BREAKS : CONTROL).test(value)) return [{ path, message: `${path} must not contain control characters` }];
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
