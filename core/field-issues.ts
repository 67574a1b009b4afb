/**
 * Validation findings that name the field they are about, in the shape of a
 * problem+json `errors` entry, so the BFF can answer them as they are.
 */

/** One rule an input breaks: `path` is the field ("weekly.days", "endsAt"), `message` says what is expected. */
export interface FieldIssue {
  path: string;
  message: string;
}

// Control characters (C0, DEL, C1, and the Unicode line/paragraph separators) never
// belong in a one-line text a person typed: in a ticket summary or a page they would
// forge lines. A comment may still break lines.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const CONTROL_BUT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** Whether a text holds control characters (line breaks, tabs and separators allowed when `multiline`). */
export function hasControlCharacters(value: string, multiline = false): boolean {
  return (multiline ? CONTROL_BUT_LINE_BREAKS : CONTROL).test(value);
}

/**
 * Issues of a required text: present, at most `maxLength` characters, no control
 * characters (line breaks and tabs allowed when `multiline`).
 */
export function textIssues(path: string, value: string, maxLength: number, multiline = false): FieldIssue[] {
  if (value.trim() === '') return [{ path, message: `${path} must not be empty` }];
  if (value.length > maxLength) return [{ path, message: `${path} must be at most ${maxLength} characters` }];
  if (hasControlCharacters(value, multiline)) return [{ path, message: `${path} must not contain control characters` }];
  return [];
}

/** Whether `value` is an instant core can compute with (integer epoch milliseconds). */
export function isInstant(value: number): boolean {
  return Number.isSafeInteger(value);
}
