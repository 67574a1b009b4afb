import type { ClientItem } from '../../core/api.ts';
import type { SortOrder } from '../shared/api-client.ts';

export type ClientSortKey = 'name' | 'total' | 'healthy' | 'warning' | 'critical' | 'unknown' | 'compliance';

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/**
 * Clients in table order. The list is small (dozens), so it sorts in the browser; a
 * client with no counted device (compliance "—") sorts last either way.
 */
export function sortClients(clients: readonly ClientItem[], key: ClientSortKey, order: SortOrder): ClientItem[] {
  const direction = order === 'asc' ? 1 : -1;
  return [...clients].sort((a, b) => {
    if (key === 'name') return direction * collator.compare(a.name, b.name);
    if (key === 'compliance') {
      const pa = a.compliance.percent;
      const pb = b.compliance.percent;
      if (pa === null || pb === null) return pa === pb ? collator.compare(a.name, b.name) : pa === null ? 1 : -1;
      return direction * (pa - pb) || collator.compare(a.name, b.name);
    }
    const value = (client: ClientItem) => (key === 'total' ? client.total : client.counts[key]);
    return direction * (value(a) - value(b)) || collator.compare(a.name, b.name);
  });
}
