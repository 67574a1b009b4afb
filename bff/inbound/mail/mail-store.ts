/**
 * The `inbound_mail` table: stored messages, their verdicts, the unmatched list and
 * the 30-day retention.
 */
import type { CompletedJobStatus } from '../../../core/types.ts';
import type { SqlExecutor } from '../../db/client.ts';

/** How long a message is kept. */
export const MAIL_RETENTION_MS = 30 * 86_400_000;

export type MailState = 'parsed' | 'unmatched' | 'duplicate';

/** One result read from a message, as stored: the device it matched, or why none. */
export interface StoredMailJob {
  device: string;
  deviceId: string | null;
  /** The job's id in `jobs`: stable per message, so a re-parse or a re-delivery adds nothing twice. */
  jobId: string;
  status: CompletedJobStatus;
  startedAt: number;
  endedAt: number;
  bytes: number | null;
  message: string | null;
  /** Why this result was not recorded; null when it was. */
  problem: string | null;
}

/** A stored message without its raw bytes. */
export interface MailRow {
  id: string;
  tenantId: string;
  messageKey: string;
  messageId: string | null;
  clientId: string | null;
  from: string;
  subject: string;
  receivedAt: number;
  state: MailState;
  parser: string | null;
  reason: string | null;
  jobs: StoredMailJob[];
  sizeBytes: number;
  duplicateOf: string | null;
}

const COLUMNS = 'id, tenant_id, message_key, message_id, client_id, mail_from, subject, received_at, state, parser, reason, jobs, size_bytes, duplicate_of';

interface SqlRow {
  id: string;
  tenant_id: string;
  message_key: string;
  message_id: string | null;
  client_id: string | null;
  mail_from: string;
  subject: string;
  received_at: number;
  state: MailState;
  parser: string | null;
  reason: string | null;
  jobs: string;
  size_bytes: number;
  duplicate_of: string | null;
}

const fromSql = (r: SqlRow): MailRow => ({
  id: r.id, tenantId: r.tenant_id, messageKey: r.message_key, messageId: r.message_id, clientId: r.client_id, from: r.mail_from, subject: r.subject,
  receivedAt: r.received_at, state: r.state, parser: r.parser, reason: r.reason, jobs: JSON.parse(r.jobs) as StoredMailJob[], sizeBytes: r.size_bytes,
  duplicateOf: r.duplicate_of,
});

/** The stored original (not a duplicate) of a message, if any. */
export async function findOriginal(db: SqlExecutor, tenantId: string, messageKey: string): Promise<{ id: string } | undefined> {
  return db.get<{ id: string }>(`SELECT id FROM inbound_mail WHERE tenant_id = ? AND message_key = ? AND state <> 'duplicate'`, [tenantId, messageKey]);
}

/**
 * Stores a message; `raw` is null for a duplicate. False when an original of the
 * same message was stored meanwhile (the unique index refused this one).
 */
export async function insertMail(db: SqlExecutor, row: MailRow, raw: Buffer | null): Promise<boolean> {
  const inserted = await db.all(
    `INSERT INTO inbound_mail (${COLUMNS}, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
    [row.id, row.tenantId, row.messageKey, row.messageId, row.clientId, row.from, row.subject, row.receivedAt, row.state, row.parser, row.reason,
      JSON.stringify(row.jobs), row.sizeBytes, row.duplicateOf, raw],
  );
  return inserted.length > 0;
}

/** Replaces a stored message's verdict (after a re-parse). */
export async function updateVerdict(db: SqlExecutor, row: Pick<MailRow, 'id' | 'tenantId' | 'state' | 'parser' | 'reason' | 'jobs'>): Promise<void> {
  await db.run('UPDATE inbound_mail SET state = ?, parser = ?, reason = ?, jobs = ? WHERE tenant_id = ? AND id = ?', [
    row.state, row.parser, row.reason, JSON.stringify(row.jobs), row.tenantId, row.id,
  ]);
}

/** A stored message with its raw bytes (null for a duplicate). */
export async function getMail(db: SqlExecutor, tenantId: string, id: string): Promise<(MailRow & { raw: Buffer | null }) | undefined> {
  const row = await db.get<SqlRow & { raw: Uint8Array | null }>(`SELECT ${COLUMNS}, raw FROM inbound_mail WHERE tenant_id = ? AND id = ?`, [tenantId, id]);
  return row ? { ...fromSql(row), raw: row.raw === null ? null : Buffer.from(row.raw) } : undefined;
}

/** A page of the tenant's messages, newest first, optionally of one state; `after` is the last row of the previous page. */
export async function listMail(
  db: SqlExecutor, tenantId: string, options: { state?: MailState; limit: number; after?: { receivedAt: number; id: string } },
): Promise<MailRow[]> {
  const where = ['tenant_id = ?'];
  const args: (string | number)[] = [tenantId];
  if (options.state) {
    where.push('state = ?');
    args.push(options.state);
  }
  if (options.after) {
    where.push('(received_at < ? OR (received_at = ? AND id < ?))');
    args.push(options.after.receivedAt, options.after.receivedAt, options.after.id);
  }
  const rows = await db.all<SqlRow>(`SELECT ${COLUMNS} FROM inbound_mail WHERE ${where.join(' AND ')} ORDER BY received_at DESC, id DESC LIMIT ?`, [...args, options.limit]);
  return rows.map(fromSql);
}

/** Deletes messages received before `before`, in bounded batches; returns how many. */
export async function purgeMailBefore(db: SqlExecutor, before: number): Promise<number> {
  let total = 0;
  for (;;) {
    const { changes } = await db.run('DELETE FROM inbound_mail WHERE rowid IN (SELECT rowid FROM inbound_mail WHERE received_at < ? LIMIT 1000)', [before]);
    total += changes;
    if (changes < 1000) return total;
  }
}
