/**
 * Shared test helpers: the API environment, mounting, accessibility checks in both
 * themes, shadow-DOM queries and waiting for conditions (never sleeps).
 */
import { expect, fixture, oneEvent, waitUntil } from '@open-wc/testing';
import { html, type TemplateResult } from 'lit';
import type { BhElement } from '../../widgets/shared/base-element.ts';
import type { BhEventDetails, BhEventName } from '../../widgets/shared/events.ts';

// The virtualizer's ResizeObserver can report a benign "loop completed with undelivered
// notifications"; mocha would count it as a failure. Swallow only that one error.
window.addEventListener(
  'error',
  (event) => {
    if (/ResizeObserver loop/.test(event.message)) {
      event.stopImmediatePropagation();
      event.preventDefault();
    }
  },
  true,
);

/** What the API under test offers: the real BFF started for the run (test/widgets/real-bff.ts). */
export interface TestEnv {
  apiBase: string;
  tokens: { admin: string; operate: string; read: string; expired: string };
  clientScoped: { token: string; clientId: string };
  /** A device inside a seeded maintenance window (active now, ends in a day). */
  maintenance: { deviceId: string; deviceName: string; windowName: string };
  /** Seeded ingest: one unmatched report mail and two devices in the discovery inbox. */
  ingest: { unmatchedSubject: string; discovered: string[] };
}

let env: Promise<TestEnv> | undefined;
export function testEnv(): Promise<TestEnv> {
  return (env ??= fetch('/__bh-test-env').then((response) => response.json() as Promise<TestEnv>));
}

/** Renders `template` inside a `<main>` landmark and answers its element, updated. */
export async function mount<T extends HTMLElement>(template: TemplateResult): Promise<T> {
  const main = await fixture<HTMLElement>(html`<main>${template}</main>`);
  const element = main.firstElementChild as T;
  await (element as unknown as { updateComplete?: Promise<unknown> }).updateComplete;
  return element;
}

/** Runs axe on the element in the light and the dark theme: zero violations. */
export async function expectAccessible(element: BhElement): Promise<void> {
  const original = element.theme;
  for (const theme of ['light', 'dark'] as const) {
    element.theme = theme;
    await element.updateComplete;
    await expect(element).to.be.accessible();
  }
  element.theme = original;
  await element.updateComplete;
}

/** `querySelector` inside the element's shadow root. */
export function $<E extends Element = HTMLElement>(host: Element, selector: string): E | null {
  return host.shadowRoot!.querySelector<E>(selector);
}

export function $$<E extends Element = HTMLElement>(host: Element, selector: string): E[] {
  return [...host.shadowRoot!.querySelectorAll<E>(selector)];
}

/** Waits until `predicate` holds (polling; the widgets update asynchronously). */
export async function until(predicate: () => unknown, message: string, timeout = 5_000): Promise<void> {
  await waitUntil(() => Boolean(predicate()), message, { timeout, interval: 20 });
}

/** The `<select>` of a labelled field (`<label class="field"><span>label</span><select>`). */
export function selectLabelled(host: Element, label: string): HTMLSelectElement {
  const field = $$(host, 'label.field').find((candidate) => candidate.querySelector('span')?.textContent?.trim() === label);
  const select = field?.querySelector('select');
  if (!select) throw new Error(`No select labelled ${label}`);
  return select;
}

/** Sets a `<select>` in the shadow root and fires `change`, as a person would. */
export function choose(host: Element, label: string, value: string): void {
  const select = selectLabelled(host, label);
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
}

/**
 * Sends backup events to the API (as an RMM would), to cause live updates. It waits for
 * their evaluation (`?wait=evaluated`), as the docs advise when the next request
 * reads what they caused: tests compare the widget with the API right after.
 */
export async function ingest(events: unknown[]): Promise<void> {
  const { apiBase, tokens } = await testEnv();
  const response = await fetch(`${apiBase}/api/v1/events?wait=evaluated`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${tokens.admin}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ events }),
  });
  if (!response.ok) throw new Error(`POST /events answered ${response.status}`);
}

/** GET from the API with a token, for expectations computed from the API itself. */
export async function apiGet<T>(path: string, token?: string): Promise<T> {
  const { apiBase, tokens } = await testEnv();
  const response = await fetch(`${apiBase}/api/v1${path}`, { headers: { Authorization: `Bearer ${token ?? tokens.admin}` } });
  if (!response.ok) throw new Error(`GET ${path} answered ${response.status}`);
  return (await response.json()) as T;
}

/** A unique job id, so repeated runs against a real BFF never collide. */
export const uniqueId = (prefix: string): string => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/** Visible text of an element, whitespace collapsed. */
export const text = (element: Element | null | undefined): string => (element?.textContent ?? '').replace(/\s+/g, ' ').trim();

/** The next `bh-*` event on `target`, typed. */
export function nextEvent<K extends BhEventName>(target: EventTarget, name: K): Promise<CustomEvent<BhEventDetails[K]>> {
  return oneEvent<CustomEvent<BhEventDetails[K]>>(target, name);
}

/**
 * Counts the widget's requests whose URL contains `fragment` (a fetch spy), to see a
 * refresh happen without depending on what the data is. Call `restore()` when done.
 */
export function countRequests(fragment: string): { readonly count: number; restore(): void } {
  const original = window.fetch;
  let count = 0;
  window.fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.includes(fragment)) count += 1;
    return original(input, init);
  };
  return {
    get count() {
      return count;
    },
    restore: () => void (window.fetch = original),
  };
}
