/**
 * Silences (docs/alert-workflow.md) as stored per tenant: created with who made them, listed with their
 * state (pending, active, expired), expired now. They are never deleted, so the list
 * keeps what was muted and by whom. Creating or expiring one marks the devices it
 * concerns as due: a ticket or page held back is decided again at the next sweep.
 */
import { randomUUID } from 'node:crypto';
import { createSilence, expireSilence, silenceState, type Silence, type SilenceInput, type SilenceMatchers, type SilenceState } from '../../core/index.ts';
import type { SqlExecutor } from '../db/client.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { touchScope } from './maintenance-windows.ts';
import { iso } from './views.ts';

/** A silence as the API answers it. */
export interface SilenceItem {
  id: string;
  matchers: SilenceMatchers;
  startsAt: string;
  endsAt: string;
  comment: string;
  createdBy: string;
  createdAt: string;
  state: SilenceState;
}

interface SilenceRow {
  id: string;
  matchers: string;
  client_id: string | null;
  starts_at: number;
  ends_at: number;
  comment: string;
  created_by: string;
  created_at: number;
}

const COLUMNS = 'id, matchers, client_id, starts_at, ends_at, comment, created_by, created_at';
const ONE_SQL = `SELECT ${COLUMNS} FROM silences WHERE tenant_id = ? AND id = ?`;
const INSERT_SQL = `INSERT INTO silences (tenant_id, id, matchers, client_id, starts_at, ends_at, comment, created_by, created_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const EXPIRE_SQL = 'UPDATE silences SET starts_at = ?, ends_at = ? WHERE tenant_id = ? AND id = ? AND ends_at > ?';
const SORT = 'createdAt:desc';
const STATE_SQL: Record<SilenceState, string> = {
  pending: 'starts_at > ?',
  active: 'starts_at <= ? AND ends_at > ?',
  expired: 'ends_at <= ?',
};

function rowOf(row: SilenceRow): Silence {
  return { id: row.id, matchers: JSON.parse(row.matchers) as SilenceMatchers, startsAt: row.starts_at, endsAt: row.ends_at, comment: row.comment, createdBy: row.created_by };
}

function toItem(silence: Silence, createdAt: number, now: number): SilenceItem {
  return {
    id: silence.id,
    matchers: silence.matchers,
    startsAt: iso(silence.startsAt)!,
    endsAt: iso(silence.endsAt)!,
    comment: silence.comment,
    createdBy: silence.createdBy,
    createdAt: iso(createdAt)!,
    state: silenceState(silence, now),
  };
}

const visible = (row: SilenceRow, clientScope: string | null) => clientScope === null || row.client_id === clientScope;

/** Stores a silence for a valid request (see core's `silenceIssues`). */
export async function addSilence(tx: SqlExecutor, tenantId: string, input: SilenceInput, createdBy: string, now: number): Promise<SilenceItem> {
  const silence = createSilence(input, randomUUID(), createdBy, now);
  const matchers: SilenceMatchers = {};
  for (const key of ['clientId', 'deviceId', 'type'] as const) if (silence.matchers[key] !== undefined) Object.assign(matchers, { [key]: silence.matchers[key] });
  await tx.run(INSERT_SQL, [tenantId, silence.id, JSON.stringify(matchers), matchers.clientId ?? null, silence.startsAt, silence.endsAt, silence.comment, createdBy, now]);
  await touchScope(tx, tenantId, { clientId: matchers.clientId, deviceId: matchers.deviceId, attention: { type: matchers.type } }, now);
  return toItem({ ...silence, matchers }, now, now);
}

/** A page of silences, newest first, optionally of one state; a client-scoped caller sees its client's only. */
export async function listSilences(db: SqlExecutor, tenantId: string, clientScope: string | null, query: { state?: SilenceState; limit: number; cursor?: string }, now: number) {
  const where = ['tenant_id = ?'];
  const args: (string | number)[] = [tenantId];
  if (clientScope !== null) where.push('client_id = ?'), args.push(clientScope);
  if (query.state) {
    where.push(STATE_SQL[query.state]);
    args.push(...(query.state === 'active' ? [now, now] : [now]));
  }
  if (query.cursor) {
    const [createdAt, id] = decodeCursor(query.cursor, SORT, 2);
    where.push('(created_at < ? OR (created_at = ? AND id < ?))'), args.push(Number(createdAt), Number(createdAt), String(id));
  }
  const rows = await db.all<SilenceRow>(`SELECT ${COLUMNS} FROM silences WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ?`, [...args, query.limit + 1]);
  const more = rows.length > query.limit;
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return { items: page.map((row) => toItem(rowOf(row), row.created_at, now)), nextCursor: more && last ? encodeCursor({ sort: SORT, values: [last.created_at, last.id] }) : null };
}

/** Expires the silence now (`DELETE /silences/:id`); null when it does not exist for the caller. An expired one stays as it is. */
export async function expireSilenceNow(tx: SqlExecutor, tenantId: string, clientScope: string | null, id: string, now: number): Promise<SilenceItem | null> {
  const row = await tx.get<SilenceRow>(ONE_SQL, [tenantId, id]);
  if (!row || !visible(row, clientScope)) return null;
  const expired = expireSilence(rowOf(row), now);
  if (expired.endsAt !== row.ends_at) {
    await tx.run(EXPIRE_SQL, [expired.startsAt, expired.endsAt, tenantId, id, now]);
    await touchScope(tx, tenantId, { clientId: expired.matchers.clientId, deviceId: expired.matchers.deviceId, attention: { type: expired.matchers.type } }, now);
  }
  return toItem(expired, row.created_at, now);
}
