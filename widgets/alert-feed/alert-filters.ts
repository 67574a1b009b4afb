import type { AlertItem } from '../../core/api.ts';
import type { AlertSeverity, AlertState, AlertType } from '../../core/types.ts';

/** The feed's view; `active` = open + acknowledged, `''` = any. */
export interface AlertFilters {
  state: AlertState | 'active' | '';
  severity: AlertSeverity | '';
  type: AlertType | '';
  client?: string;
  device?: string;
}

/** Whether an alert from the stream belongs in the feed as filtered. */
export function matchesAlertFilters(alert: AlertItem, filters: AlertFilters): boolean {
  if (filters.state === 'active' ? alert.state === 'resolved' : filters.state && alert.state !== filters.state) return false;
  if (filters.severity && alert.severity !== filters.severity) return false;
  if (filters.type && alert.type !== filters.type) return false;
  if (filters.client && alert.client.id !== filters.client) return false;
  if (filters.device && alert.device.id !== filters.device) return false;
  return true;
}

/** Newest trigger first, as the feed shows them. */
export const byNewestTrigger = (a: AlertItem, b: AlertItem): number => Date.parse(b.triggeredAt) - Date.parse(a.triggeredAt);
