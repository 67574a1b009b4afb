/**
 * A tagged template for server-rendered pages that escapes every interpolated value
 * unless it is already markup produced by `html` (or wrapped with `trusted`).
 */

/** Markup that is safe to insert as is. */
export class SafeHtml {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Escapes text for element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"'`]/g, (c) => ENTITIES[c]!);
}

/**
 * `html\`<p>${name}</p>\`` — strings, numbers and the like are escaped; SafeHtml is
 * inserted as is; arrays are joined; null, undefined and false render nothing.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return new SafeHtml(out);
}

function render(value: unknown): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.markup;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(value);
}

/** Marks a constant string of markup written in this code base (never user data) as safe. */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
