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

/** What a client's badge says: one status that device health and the SLA both agree with, and why. */
export interface ClientVerdict {
  status: HealthStatus;
  /** Devices not healthy (warning, critical or unknown). */
  needAttention: number;
  /** Devices outside their SLA now. */
  outsideSla: number;
}

/**
 * The badge's verdict: the worst device status, raised to at least Warning while any
 * device is outside its SLA — a portal must never say "Healthy" beside "5 in breach".
 *
 * @example clientVerdict({ healthy: 9, warning: 0, critical: 0, unknown: 0 }, { breach: 2 }).status // 'warning'
 */
export function clientVerdict(counts: Readonly<Record<HealthStatus, number>>, compliance: { breach: number }): ClientVerdict {
  const worst = clientStatus(counts);
  const status = compliance.breach > 0 && STATUS_RANK[worst] < STATUS_RANK.warning ? 'warning' : worst;
  return { status, needAttention: counts.warning + counts.critical + counts.unknown, outsideSla: compliance.breach };
}
