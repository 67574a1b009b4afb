import { html, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import type { SortOrder } from './api-client.ts';

/**
 * A labelled `<select>`; `''` is the "all" option. Controlled: the selection follows
 * `value` on every render (`live`), also on options the user picked by hand, which no
 * longer follow their `selected` attribute (Back/Forward restore the view's value).
 */
export function renderSelect<V extends string>(options: {
  label: string;
  value: V | '' | undefined;
  allLabel?: string;
  choices: readonly (readonly [V, string])[];
  onChange: (value: V | '') => void;
  part?: string;
}): TemplateResult {
  const value = options.value ?? '';
  return html`<label class="field">
    <span>${options.label}</span>
    <select part=${options.part ?? 'filter'} @change=${(event: Event) => options.onChange((event.target as HTMLSelectElement).value as V | '')}>
      ${options.allLabel !== undefined ? html`<option value="" .selected=${live(value === '')}>${options.allLabel}</option>` : ''}
      ${options.choices.map(([choice, label]) => html`<option value=${choice} .selected=${live(value === choice)}>${label}</option>`)}
    </select>
  </label>`;
}

/** `[[key, label], …]` from a label table, for `renderSelect`. */
export const choicesOf = <K extends string>(labels: Record<K, string>): [K, string][] => Object.entries(labels) as [K, string][];

/** The arrow beside a sorted header (decorative: `aria-sort` carries the meaning). */
export function sortIndicator(order: SortOrder | null): TemplateResult {
  const path = order === 'asc' ? 'M4 10l4-4 4 4' : order === 'desc' ? 'M4 6l4 4 4-4' : 'M5 6.5l3-3 3 3M5 9.5l3 3 3-3';
  return html`<svg class="sort-indicator" viewBox="0 0 16 16" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round"><path d=${path}></path></svg>`;
}

/** The `aria-sort` value of a header. */
export const ariaSort = (order: SortOrder | null): 'ascending' | 'descending' | 'none' => (order === 'asc' ? 'ascending' : order === 'desc' ? 'descending' : 'none');
