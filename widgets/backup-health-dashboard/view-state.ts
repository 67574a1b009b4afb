import type { DeviceKind, HealthStatus } from '../../core/types.ts';
import type { DeviceSort, SortOrder } from '../shared/api-client.ts';
import { DEFAULT_VIEW, VIEW_FIELDS, type DashboardTab, type DashboardView, type UrlStateMode } from './view.ts';

// The view as a link carries it: its own chunk, loaded by dashboards whose `url-state` is on.

// Records rather than arrays: the compiler then insists every member is listed.
const TABS = { devices: true, clients: true, alerts: true, compliance: true, settings: true } satisfies Record<DashboardTab, true>;
const STATUSES = { healthy: true, warning: true, critical: true, unknown: true } satisfies Record<HealthStatus, true>;
const KINDS = { workstation: true, server: true, saas: true } satisfies Record<DeviceKind, true>;
const SORTS = { score: true, name: true, lastSuccessAt: true, storage: true, status: true, client: true, kind: true, policy: true } satisfies Record<DeviceSort, true>;
const ORDERS = { asc: true, desc: true } satisfies Record<SortOrder, true>;

/** The URL parameter of each field; `filterClient` keeps the filter apart from a drill-down. */
const PARAMS: Record<keyof DashboardView, string> = {
  tab: 'tab',
  client: 'client',
  clientFilter: 'filterClient',
  status: 'status',
  kind: 'kind',
  sort: 'sort',
  order: 'order',
  q: 'q',
};

/** Longer ids or searches than this come from a mangled link, not from a person. */
const MAX_TEXT = 200;

const member = <T extends string>(allowed: Record<T, true>, value: string | null): T | undefined =>
  value !== null && Object.hasOwn(allowed, value) ? (value as T) : undefined;
const text = (value: string | null): string | undefined => (value !== null && value.length <= MAX_TEXT ? value : undefined);

/**
 * The view a link describes. Unknown or malformed values fall back to the default, so
 * an old or hand-edited link still opens the console rather than an error.
 */
export function parseView(params: URLSearchParams): DashboardView {
  const get = (field: keyof DashboardView) => params.get(PARAMS[field]);
  return {
    tab: member(TABS, get('tab')) ?? DEFAULT_VIEW.tab,
    client: text(get('client')) ?? DEFAULT_VIEW.client,
    clientFilter: text(get('clientFilter')) ?? DEFAULT_VIEW.clientFilter,
    status: member(STATUSES, get('status')) ?? DEFAULT_VIEW.status,
    kind: member(KINDS, get('kind')) ?? DEFAULT_VIEW.kind,
    sort: member(SORTS, get('sort')) ?? DEFAULT_VIEW.sort,
    order: member(ORDERS, get('order')) ?? DEFAULT_VIEW.order,
    q: text(get('q')) ?? DEFAULT_VIEW.q,
  };
}

/**
 * The view as URL parameters, defaults left out so links stay short. Parameters that
 * are not the dashboard's (the host page's own) are kept as they are.
 */
export function writeView(view: DashboardView, into: URLSearchParams = new URLSearchParams()): URLSearchParams {
  const params = new URLSearchParams(into);
  for (const field of VIEW_FIELDS) {
    const value = view[field];
    if (value === DEFAULT_VIEW[field]) params.delete(PARAMS[field]);
    else params.set(PARAMS[field], value);
  }
  return params;
}


/** The parameters of the part of `location` the mode uses. */
export function paramsOf(location: Pick<Location, 'hash' | 'search'>, mode: Exclude<UrlStateMode, 'off'>): URLSearchParams {
  return new URLSearchParams(mode === 'hash' ? location.hash.replace(/^#/, '') : location.search);
}

/** The URL that shows `view`, from the current one: only the mode's part changes. */
export function urlFor(view: DashboardView, location: Pick<Location, 'pathname' | 'hash' | 'search'>, mode: Exclude<UrlStateMode, 'off'>): string {
  const params = writeView(view, paramsOf(location, mode)).toString();
  if (mode === 'hash') return `${location.pathname}${location.search}${params ? `#${params}` : ''}`;
  return `${location.pathname}${params ? `?${params}` : ''}${location.hash}`;
}
