/**
 * The change feed: every device or alert change is appended to `changes` in the
 * transaction that made it. Each instance tails the table to serve /stream, so a
 * browser sees changes made on any instance.
 */
import type { StreamEvents } from '../../core/api.ts';
import type { SqlExecutor } from '../db/client.ts';

export type ChangeEvent = keyof StreamEvents;

/** Appends one change; `clientId` lets client-scoped streams filter. */
export async function recordChange<E extends ChangeEvent>(
  tx: SqlExecutor,
  tenantId: string,
  clientId: string | null,
  event: E,
  payload: StreamEvents[E],
  at: number,
): Promise<void> {
  await tx.run('INSERT INTO changes (tenant_id, client_id, event, payload, at) VALUES (?, ?, ?, ?, ?)', [
    tenantId,
    clientId,
    event,
    JSON.stringify(payload),
    at,
  ]);
}
