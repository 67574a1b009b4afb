/** The delivery state of one integration, for its settings page (failures stay visible: docs/troubleshooting.md). */
import type { IntegrationStatus } from '../../../core/api.ts';
import type { SqlExecutor } from '../../db/client.ts';
import { iso } from '../views.ts';
import type { OutboxChannel } from './outbox.ts';

const COUNTS_SQL = `SELECT
    SUM(CASE WHEN status IN ('pending', 'sending') THEN 1 ELSE 0 END) AS queued,
    SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) AS failed,
    MAX(delivered_at) AS last_success_at
  FROM outbox WHERE tenant_id = ? AND channel = ?`;
const LAST_ERROR_SQL = `SELECT last_error FROM outbox WHERE tenant_id = ? AND channel = ? AND last_error IS NOT NULL
  ORDER BY json_extract(last_error, '$.at') DESC LIMIT 1`;

/** Last success, last error {at, message}, queue depth and failed count of a channel. */
export async function integrationStatus(db: SqlExecutor, tenantId: string, channel: OutboxChannel): Promise<IntegrationStatus> {
  const counts = await db.get<{ queued: number | null; failed: number | null; last_success_at: number | null }>(COUNTS_SQL, [tenantId, channel]);
  const errorRow = await db.get<{ last_error: string }>(LAST_ERROR_SQL, [tenantId, channel]);
  let lastError: IntegrationStatus['lastError'] = null;
  if (errorRow) {
    try {
      const parsed = JSON.parse(errorRow.last_error) as { at: number; message: string };
      lastError = { at: iso(parsed.at)!, message: parsed.message };
    } catch {
      lastError = null;
    }
  }
  return {
    lastSuccessAt: iso(counts?.last_success_at ?? null),
    lastError,
    queueDepth: Number(counts?.queued ?? 0),
    failed: Number(counts?.failed ?? 0),
  };
}
