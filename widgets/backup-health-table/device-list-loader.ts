import type { ReactiveController } from 'lit';
import type { DeviceItem } from '../../core/api.ts';
import type { DeviceKind, HealthStatus } from '../../core/types.ts';
import type { ApiClient, DeviceSort, SortOrder } from '../shared/api-client.ts';
import { isAbortError } from '../shared/api-errors.ts';
import type { ApiElement } from '../shared/api-element.ts';

/** The table's current view: what the API is asked for. */
export interface DeviceFilters {
  client?: string;
  status?: HealthStatus;
  kind?: DeviceKind;
  q?: string;
  sort: DeviceSort;
  order: SortOrder;
}

/** `loading`: first page on its way; `more`: rows shown, later pages on their way. */
export type LoadPhase = 'idle' | 'loading' | 'more' | 'complete' | 'error';

/** Pages after the first are as large as the API allows. */
export const BACKGROUND_PAGE_SIZE = 500;

/**
 * Loads the devices of a view: the first page (small, so it renders fast), then the
 * rest in the background through `nextCursor`, so 10,000 devices scroll without a
 * "load more" button. A new view aborts the old load. Live updates patch the rows.
 */
export class DeviceListLoader implements ReactiveController {
  readonly #host: ApiElement;
  readonly #firstPageSize: () => number;
  #ids = new Set<string>();
  #abort?: AbortController;
  #filters?: DeviceFilters;
  #settled: Promise<void> = Promise.resolve();

  /** The rows in view; a new array after every change so renders see it. */
  rows: DeviceItem[] = [];
  phase: LoadPhase = 'idle';
  error: unknown = null;

  constructor(host: ApiElement, firstPageSize: () => number) {
    this.#host = host;
    this.#firstPageSize = firstPageSize;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.#abort?.abort();
    // Reconnecting reloads: a detached table must not keep 10k rows fetching.
    this.#filters = undefined;
  }

  /** Resolves when every page of the current view is in (or the load stopped). */
  get settled(): Promise<void> {
    return this.#settled;
  }

  /** True when `filters` is not the view already loaded or loading. */
  isStale(filters: DeviceFilters): boolean {
    return !this.#filters || JSON.stringify(this.#filters) !== JSON.stringify(filters);
  }

  /** Starts loading a view. Rows of the previous view stay until the first page arrives. */
  load(api: ApiClient, filters: DeviceFilters): Promise<void> {
    this.#abort?.abort();
    const abort = (this.#abort = new AbortController());
    this.#filters = filters;
    this.phase = 'loading';
    this.error = null;
    this.#host.requestUpdate();
    this.#settled = this.#loadPages(api, filters, abort.signal);
    return this.#settled;
  }

  async #loadPages(api: ApiClient, filters: DeviceFilters, signal: AbortSignal): Promise<void> {
    let first = true;
    let cursor: string | null = null;
    try {
      do {
        const limit = first ? this.#firstPageSize() : BACKGROUND_PAGE_SIZE;
        // The run strip needs each device's recent runs: asked for explicitly (they cost the server a jobs read).
        const page = await api.listDevices({ ...filters, limit, cursor, include: 'runs' }, signal);
        if (signal.aborted) return;
        if (first) {
          this.rows = page.items;
          this.#ids = new Set(page.items.map((device) => device.id));
        } else {
          // A device the stream inserted meanwhile keeps its newer state.
          const fresh = page.items.filter((device) => !this.#ids.has(device.id));
          for (const device of fresh) this.#ids.add(device.id);
          this.rows = this.rows.concat(fresh);
        }
        first = false;
        cursor = page.nextCursor;
        this.phase = cursor ? 'more' : 'complete';
        this.#host.requestUpdate();
      } while (cursor);
    } catch (error) {
      if (signal.aborted || isAbortError(error)) return;
      if (first) {
        this.rows = [];
        this.#ids.clear();
      }
      this.phase = 'error';
      this.error = error;
      this.#host.handleError(error);
      this.#host.requestUpdate();
    }
  }

  /**
   * Applies a `device.updated` event so the rows stay as the API would list them: a row
   * whose sort key changed moves to its sorted place (a worst-first list never shows a
   * Warning 85 between two Criticals); one that left the filters is removed; a new
   * match is inserted at its sorted place, unless that place is in a page still to
   * come. Answers the device's row index afterwards (-1 when not shown), so the table
   * can keep keyboard focus on the device that moved.
   */
  applyUpdate(device: DeviceItem): number {
    const filters = this.#filters;
    if (!filters || this.phase === 'loading' || this.phase === 'error') return -1;
    const index = this.#ids.has(device.id) ? this.rows.findIndex((row) => row.id === device.id) : -1;
    const matches = matchesFilters(device, filters);
    if (index < 0 && !matches) return -1;
    const others = index >= 0 ? this.rows.toSpliced(index, 1) : this.rows;
    let position = -1;
    if (matches) {
      position = others.findIndex((row) => compareDevices(device, row, filters.sort, filters.order) < 0);
      // Past the last row loaded while pages are still coming: that page will bring it.
      if (position === -1 && this.phase !== 'more') position = others.length;
    }
    if (position === -1) {
      this.#ids.delete(device.id);
      this.rows = others;
    } else {
      this.#ids.add(device.id);
      // The event carries the item as `include=schedule` lists it; the row keeps its run strip and anything else its page brought.
      this.rows = others.toSpliced(position, 0, index >= 0 ? { ...this.rows[index], ...device } : device);
    }
    this.#host.requestUpdate();
    return position;
  }
}

/** Whether a device belongs in a view (the search matches the API's: name, id or client name, any case). */
export function matchesFilters(device: DeviceItem, filters: DeviceFilters): boolean {
  if (filters.client && device.client.id !== filters.client) return false;
  if (filters.status && device.status !== filters.status) return false;
  if (filters.kind && device.kind !== filters.kind) return false;
  const q = filters.q?.trim().toLowerCase();
  if (q && ![device.name, device.id, device.client.name].some((text) => text.toLowerCase().includes(q))) return false;
  return true;
}

/** The API sorts status worst first: critical, warning, unknown, healthy. */
const STATUS_ORDER: Record<HealthStatus, number> = { critical: 0, warning: 1, unknown: 2, healthy: 3 };
/** Text sorts by code point, as the API's database does. */
const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
/** Missing values sort first ascending, as in the API. */
const nullsFirst = (a: number | null, b: number | null): number => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a - b);

/**
 * The API's order for a sort key, ties broken by id: used to place a device that
 * arrives live where the server would have listed it.
 */
export function compareDevices(a: DeviceItem, b: DeviceItem, sort: DeviceSort, order: SortOrder): number {
  const byKey = (): number => {
    switch (sort) {
      case 'score':
        return a.score - b.score;
      case 'status':
        return STATUS_ORDER[a.status] - STATUS_ORDER[b.status];
      case 'lastSuccessAt':
        return nullsFirst(a.lastSuccessAt ? Date.parse(a.lastSuccessAt) : null, b.lastSuccessAt ? Date.parse(b.lastSuccessAt) : null);
      case 'storage':
        return nullsFirst(a.storage.usedBytes, b.storage.usedBytes);
      case 'name':
        return byCodePoint(a.name, b.name);
      case 'client':
        return byCodePoint(a.client.name, b.client.name);
      case 'kind':
        return byCodePoint(a.kind, b.kind);
      case 'policy':
        return byCodePoint(a.policy.name, b.policy.name);
    }
  };
  const result = byKey() || byCodePoint(a.id, b.id);
  return order === 'desc' ? -result : result;
}
