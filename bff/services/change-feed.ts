/**
 * The change feed: every device or alert change is appended to `changes` in the
 * transaction that made it. Each instance tails the table to serve /stream, so a
 * browser sees changes made on any instance.
 */
import type { StreamEvents } from '../../core/api.ts';
import type { SqlExecutor } from '../db/client.ts';

/**
 * What a change row can hold: a stream event with its payload, or `device.changed`,
 * a reference (`{id}`) that the stream turns into `device.updated` with the device's
 * current list item when it delivers it (change-refs.ts). Evaluation records
 * references: a batch of thousands of devices then appends ~40-byte rows instead of
 * ~450-byte items, and a browser that resumes gets the current state, never a stale one.
 */
export interface ChangePayloads extends StreamEvents {
  'device.changed': { id: string };
}
export type ChangeEvent = keyof ChangePayloads;

/** Appends one change; `clientId` lets client-scoped streams filter. */
export async function recordChange<E extends ChangeEvent>(
  tx: SqlExecutor,
  tenantId: string,
  clientId: string | null,
  event: E,
  payload: ChangePayloads[E],
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

/** One change of a bulk append. */
export interface Change<E extends ChangeEvent = ChangeEvent> {
  tenantId: string;
  clientId: string | null;
  event: E;
  payload: ChangePayloads[E];
  at: number;
}

// Payloads travel as JSON objects inside the array (`->>` returns them as JSON text), so nothing is escaped twice.
const BULK_SQL = `INSERT INTO changes (tenant_id, client_id, event, payload, at)
  SELECT c.value->>0, c.value->>1, c.value->>2, c.value->>3, c.value->>4 FROM json_each(?) c`;

/** Appends many changes with one statement (one round trip to a remote server), in order. */
export async function recordChanges(tx: SqlExecutor, changes: readonly Change[]): Promise<void> {
  if (changes.length === 0) return;
  await tx.run(BULK_SQL, [JSON.stringify(changes.map((c) => [c.tenantId, c.clientId, c.event, c.payload, c.at]))]);
}
