import { msg } from '@lit/localize';
import type { DeviceKind, HealthStatus } from '../../core/types.ts';
import type { DeviceSort, SortOrder } from '../shared/api-client.ts';

export type DashboardTab = 'devices' | 'clients' | 'alerts' | 'compliance' | 'settings';

export const TAB_LABELS: Record<DashboardTab, string> = {
  get devices() { return msg('Devices'); },
  get clients() { return msg('Clients'); },
  get alerts() { return msg('Alerts'); },
  get compliance() { return msg('Compliance'); },
  get settings() { return msg('Settings'); },
};

/** What a shared link reproduces: the tab, the client drilled into and the device view. */
export interface DashboardView {
  tab: DashboardTab;
  /** Client drilled into from the Clients tab (the Devices tab shows only its devices). */
  client: string;
  /** The device table's own client filter, when not drilled into one. */
  clientFilter: string;
  status: HealthStatus | '';
  kind: DeviceKind | '';
  sort: DeviceSort;
  order: SortOrder;
  q: string;
}

export type UrlStateMode = 'hash' | 'query' | 'off';

export const DEFAULT_VIEW: Readonly<DashboardView> = {
  tab: 'devices',
  client: '',
  clientFilter: '',
  status: '',
  kind: '',
  sort: 'score',
  order: 'asc',
  q: '',
};

export const VIEW_FIELDS = Object.keys(DEFAULT_VIEW) as (keyof DashboardView)[];

export const sameView = (a: DashboardView, b: DashboardView): boolean => VIEW_FIELDS.every((field) => a[field] === b[field]);
