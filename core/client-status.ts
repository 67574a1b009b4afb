/**
 * A client's overall status from its devices' status counts, so the badge, the
 * client list and any report say the same thing about a client.
 */
import type { HealthStatus } from './types.ts';

// Unknown ranks above healthy: a client with a device that never reported is not all well.
const STATUS_RANK: Readonly<Record<HealthStatus, number>> = { healthy: 0, unknown: 1, warning: 2, critical: 3 };

/**
 * The worst status that has a device in it (critical > warning > unknown > healthy);
 * healthy for a client without devices.
 *
 * @example clientStatus({ healthy: 3, warning: 1, critical: 0, unknown: 2 }) // 'warning'
 */
export function clientStatus(counts: Readonly<Record<HealthStatus, number>>): HealthStatus {
  let worst: HealthStatus = 'healthy';
  for (const status of Object.keys(counts) as HealthStatus[]) {
    if (counts[status] > 0 && STATUS_RANK[status] > STATUS_RANK[worst]) worst = status;
  }
  return worst;
}
