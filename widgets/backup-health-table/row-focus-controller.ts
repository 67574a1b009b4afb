import type { LitElement } from 'lit';
import type { RangeChangedEvent } from '@lit-labs/virtualizer/events.js';

const PAGE_JUMP = 10;

export interface RowFocusOptions {
  rowCount: () => number;
  body: () => HTMLElement | null | undefined;
  /** Scrolls row `index` into view when it is not rendered (the virtualizer knows where it is). */
  scrollIntoView: (index: number) => void;
  open: (index: number) => void;
}

/**
 * Keyboard movement between the rows of a virtualized table: one row is tabbable (roving
 * tabindex); arrow keys, Page Up/Down, Home and End move focus, scrolling rows that are
 * not rendered yet into view; Enter or Space opens the row.
 */
export class RowFocusController {
  readonly #host: LitElement;
  readonly #options: RowFocusOptions;

  /** The row that takes focus when the person tabs into the table. */
  activeIndex = 0;

  constructor(host: LitElement, options: RowFocusOptions) {
    this.#host = host;
    this.#options = options;
  }

  /** `tabindex` of row `index`. */
  tabIndexOf(index: number): 0 | -1 {
    return index === this.activeIndex ? 0 : -1;
  }

  /** Back to the first row (a new view). */
  reset(): void {
    this.activeIndex = 0;
  }

  readonly onKeydown = (event: KeyboardEvent): void => {
    const row = this.#rowOf(event.target);
    if (!row || row !== event.target) return;
    const index = Number(row.dataset.index);
    const last = this.#options.rowCount() - 1;
    const targets: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      PageDown: index + PAGE_JUMP,
      PageUp: index - PAGE_JUMP,
      Home: 0,
      End: last,
    };
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      this.#options.open(index);
    } else if (event.key in targets) {
      event.preventDefault();
      void this.focusRow(Math.max(0, Math.min(last, targets[event.key]!)));
    }
  };

  readonly onFocusIn = (event: FocusEvent): void => {
    const index = this.#rowOf(event.target)?.dataset.index;
    if (index !== undefined) this.#setActive(Number(index));
  };

  /**
   * Keeps one row tabbable: when the active row scrolls out of the rendered range and
   * focus is elsewhere, the first rendered row takes over, so Tab always finds a row.
   */
  readonly onRangeChanged = (event: RangeChangedEvent): void => {
    const body = this.#options.body();
    const focusInside = body?.contains(this.#host.shadowRoot?.activeElement ?? null);
    if (!focusInside && (this.activeIndex < event.first || this.activeIndex > event.last)) this.#setActive(Math.max(0, event.first));
  };

  /** Moves keyboard focus to row `index`, scrolling it into the rendered range first. */
  async focusRow(index: number): Promise<void> {
    if (index < 0 || index >= this.#options.rowCount()) return;
    this.#setActive(index);
    if (!this.#rowElement(index)) this.#options.scrollIntoView(index);
    await this.#host.updateComplete;
    for (let frame = 0; frame < 20; frame++) {
      const row = this.#rowElement(index);
      if (row) {
        row.focus();
        return;
      }
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
  }

  #setActive(index: number): void {
    if (index === this.activeIndex) return;
    this.activeIndex = index;
    this.#host.requestUpdate();
  }

  #rowOf(target: EventTarget | null): HTMLElement | null {
    return target instanceof HTMLElement ? target.closest<HTMLElement>('[role="row"]') : null;
  }

  #rowElement(index: number): HTMLElement | null {
    return this.#options.body()?.querySelector<HTMLElement>(`[role="row"][data-index="${index}"]`) ?? null;
  }
}
