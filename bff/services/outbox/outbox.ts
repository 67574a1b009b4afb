/**
 * The transactional outbox (docs/architecture.md): every outbound call — a PSA ticket, an On-Call
 * page, an e-mail — is written as a row in the transaction that caused it, so it
 * commits or rolls back with the alert transition, and the dispatcher delivers it
 * afterwards, at least once.
 */
import { randomBytes } from 'node:crypto';
import type { SqlExecutor } from '../../db/client.ts';

export type OutboxChannel = 'psa' | 'oncall' | 'mail';

/** pending → sending (claimed) → delivered | failed; back to pending on a retry. */
export type OutboxStatus = 'pending' | 'sending' | 'delivered' | 'failed';

export interface EnqueueRequest {
  tenantId: string;
  channel: OutboxChannel;
  /** What to do, per channel: `create`/`resolve` (psa), `trigger`/`resolve` (oncall), `weekly`/`client-report` (mail). */
  kind: string;
  /** Unique per (tenant, channel): a second enqueue with the same key is a no-op. */
  dedupKey: string;
  payload: unknown;
  now: number;
  /** First delivery attempt; default `now`. */
  notBefore?: number;
}

/** A claimed outbox row, as the channel handlers see it. */
export interface OutboxItem {
  id: string;
  tenantId: string;
  channel: OutboxChannel;
  kind: string;
  dedupKey: string;
  payload: unknown;
  /** Attempts made before this one. */
  attempts: number;
  createdAt: number;
}

let sequence = 0;

/**
 * Outbox ids sort by creation time (then by a per-process sequence), so the
 * dispatcher delivers in the order things happened; the random tail keeps ids of
 * several instances apart. The id doubles as the `Idempotency-Key` of the request.
 */
export function newOutboxId(now: number): string {
  sequence = (sequence + 1) % 0x100000;
  return `ob_${now.toString(16).padStart(12, '0')}${sequence.toString(16).padStart(5, '0')}${randomBytes(6).toString('hex')}`;
}

const INSERT_SQL = `INSERT INTO outbox (id, tenant_id, channel, kind, dedup_key, payload, status, attempts, next_attempt_at, created_at)
  VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?) ON CONFLICT (tenant_id, channel, dedup_key) DO NOTHING`;

/**
 * Adds an outbound call to the outbox inside `tx`. Returns the new item's id, or null
 * when an item with the same dedup key already exists (then nothing changes).
 */
export async function enqueue(tx: SqlExecutor, request: EnqueueRequest): Promise<string | null> {
  const id = newOutboxId(request.now);
  const { changes } = await tx.run(INSERT_SQL, [
    id,
    request.tenantId,
    request.channel,
    request.kind,
    request.dedupKey,
    JSON.stringify(request.payload),
    request.notBefore ?? request.now,
    request.now,
  ]);
  return changes === 1 ? id : null;
}

const INSERT_MANY_SQL = `INSERT INTO outbox (id, tenant_id, channel, kind, dedup_key, payload, status, attempts, next_attempt_at, created_at)
  SELECT o.value->>0, o.value->>1, o.value->>2, o.value->>3, o.value->>4, o.value->>5, 'pending', 0, o.value->>6, o.value->>7
  FROM json_each(?) o WHERE true ON CONFLICT (tenant_id, channel, dedup_key) DO NOTHING`;

/**
 * Adds many outbound calls with one statement (one round trip to a remote server),
 * in order; a request whose dedup key already exists is skipped, as with `enqueue`.
 */
export async function enqueueMany(tx: SqlExecutor, requests: readonly EnqueueRequest[]): Promise<void> {
  if (requests.length === 0) return;
  const rows = requests.map((r) => [newOutboxId(r.now), r.tenantId, r.channel, r.kind, r.dedupKey, JSON.stringify(r.payload), r.notBefore ?? r.now, r.now]);
  await tx.run(INSERT_MANY_SQL, [JSON.stringify(rows)]);
}

/** The delivery state of the item with this dedup key, or undefined. */
export async function outboxStateOf(
  db: SqlExecutor,
  tenantId: string,
  channel: OutboxChannel,
  dedupKey: string,
): Promise<{ id: string; status: OutboxStatus; lastError: string | null } | undefined> {
  const row = await db.get<{ id: string; status: OutboxStatus; last_error: string | null }>(
    'SELECT id, status, last_error FROM outbox WHERE tenant_id = ? AND channel = ? AND dedup_key = ?',
    [tenantId, channel, dedupKey],
  );
  return row && { id: row.id, status: row.status, lastError: row.last_error };
}

/**
 * Puts a channel's failed items back in the queue with a fresh attempt budget (after
 * an admin fixed the integration's settings). Returns how many.
 */
export async function requeueFailed(db: SqlExecutor, tenantId: string, channel: OutboxChannel, now: number): Promise<number> {
  const { changes } = await db.run(
    "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ? WHERE tenant_id = ? AND channel = ? AND status = 'failed'",
    [now, tenantId, channel],
  );
  return changes;
}

/** Deletes delivered items older than `before` (failed ones stay visible until re-queued). */
export async function pruneDelivered(db: SqlExecutor, before: number): Promise<number> {
  const { changes } = await db.run("DELETE FROM outbox WHERE status = 'delivered' AND delivered_at < ?", [before]);
  return changes;
}

/** Items waiting or failed across all tenants, for /readyz. */
export async function outboxBacklog(db: SqlExecutor): Promise<{ queued: number; failed: number }> {
  const row = await db.get<{ queued: number | null; failed: number | null }>(
    "SELECT SUM(CASE WHEN status IN ('pending', 'sending') THEN 1 ELSE 0 END) AS queued, SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) AS failed FROM outbox WHERE status <> 'delivered'",
  );
  return { queued: Number(row?.queued ?? 0), failed: Number(row?.failed ?? 0) };
}
