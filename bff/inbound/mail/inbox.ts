/**
 * The mail inbox of every tenant: receives a raw message for the tenants it is
 * addressed to, stores it (raw, deduplicated by Message-ID, 30 days), lets the
 * first parser that claims it read the results and records them as ordinary jobs;
 * lists stored mail (the unmatched list) and re-parses a stored message.
 *
 * Order of writes, so that a message is never half stored: the results are ingested
 * first (one transaction, job ids derived from the message), then the message row is
 * written. A failure in between leaves no row; the SMTP client is told to retry,
 * and the retry's jobs are recognised as replays.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Clock } from '../../context.ts';
import type { Database } from '../../db/client.ts';
import { notFound } from '../../http/problem.ts';
import { decodeCursor, encodeCursor, invalidCursor } from '../../services/cursor.ts';
import type { Ingestor } from '../../services/ingest/index.ts';
import { readKeywordRules } from './keyword-rule-store.ts';
import { findOriginal, getMail, insertMail, listMail, MAIL_RETENTION_MS, purgeMailBefore, updateVerdict, type MailRow, type MailState } from './mail-store.ts';
import { parseMailbox, type TenantForMailbox } from './mailbox.ts';
import { parseMessage } from './message.ts';
import { parseReport, type Verdict } from './parsers.ts';
import type { KeywordRule } from './keyword-rule-schema.ts';
import { recordVerdict, type RecordedVerdict } from './record-results.ts';
import type { InboundMessage, ParseContext } from './types.ts';

/** A stored message as the API lists it. */
export interface MailItem {
  id: string;
  messageId: string | null;
  from: string;
  subject: string;
  receivedAt: string;
  state: MailState;
  parser: string | null;
  reason: string | null;
  clientId: string | null;
  jobs: {
    device: string;
    deviceId: string | null;
    jobId: string;
    status: string;
    startedAt: string;
    endedAt: string;
    bytes: number | null;
    message: string | null;
    problem: string | null;
  }[];
}

export interface MailInboxDeps {
  db: Database;
  ingestor: Ingestor;
  clock: Clock;
  tenantForMailbox: TenantForMailbox;
  /** Accepted clock skew for result times (the app's `clockSkewMs`). */
  clockSkewMs: number;
}

const LIST_SORT = 'receivedAt:desc';

export class MailInbox {
  constructor(private readonly deps: MailInboxDeps) {}

  /** The tenant a recipient address belongs to, null when none (the listener refuses it). */
  async tenantOf(address: string): Promise<{ tenantId: string; clientId: string | null } | null> {
    const mailbox = parseMailbox(address);
    if (!mailbox) return null;
    const tenantId = await this.deps.tenantForMailbox(mailbox.key);
    return tenantId === null ? null : { tenantId, clientId: mailbox.clientId };
  }

  /**
   * Delivers a message to every tenant among `recipients` (once per tenant; the
   * first plus address names the client). Unknown recipients are skipped.
   */
  async deliver(raw: Buffer, recipients: readonly string[]): Promise<MailItem[]> {
    const tenants = new Map<string, string | null>();
    for (const address of recipients) {
      const found = await this.tenantOf(address);
      if (found && !tenants.has(found.tenantId)) tenants.set(found.tenantId, found.clientId);
    }
    const message = await parseMessage(raw);
    const items: MailItem[] = [];
    for (const [tenantId, clientId] of tenants) items.push(await this.store(tenantId, raw, message, clientId));
    return items;
  }

  /** Receives `raw` for one tenant whose mailbox was already resolved. */
  async receive(tenantId: string, raw: Buffer, clientId: string | null = null): Promise<MailItem> {
    return this.store(tenantId, raw, await parseMessage(raw), clientId);
  }

  private async store(tenantId: string, raw: Buffer, message: InboundMessage, clientId: string | null): Promise<MailItem> {
    const { db } = this.deps;
    const now = this.deps.clock();
    const messageKey = message.messageId ?? `sha256:${createHash('sha256').update(raw).digest('hex')}`;
    const base: Omit<MailRow, 'state' | 'parser' | 'reason' | 'jobs' | 'duplicateOf'> = {
      id: randomUUID(), tenantId, messageKey, messageId: message.messageId, clientId: clientId?.slice(0, 200) ?? null,
      from: message.from.slice(0, 500), subject: message.subject.slice(0, 1_000), receivedAt: now, sizeBytes: raw.length,
    };
    const original = await findOriginal(db, tenantId, messageKey);
    if (original) return this.storeDuplicate(base, original.id);

    const verdict = await this.read(tenantId, message, messageKey, clientId, now, now);
    const row: MailRow = { ...base, ...verdict, duplicateOf: null };
    if (await insertMail(db, row, raw)) return toItem(row);
    // Another delivery of the same message was stored meanwhile; its jobs and ours share ids.
    const winner = await findOriginal(db, tenantId, messageKey);
    return this.storeDuplicate(base, winner?.id ?? null);
  }

  private async storeDuplicate(base: Omit<MailRow, 'state' | 'parser' | 'reason' | 'jobs' | 'duplicateOf'>, originalId: string | null): Promise<MailItem> {
    const row: MailRow = {
      ...base, state: 'duplicate', parser: null, jobs: [], duplicateOf: originalId,
      reason: `A copy of message ${base.messageId ? `<${base.messageId}>` : '(same content)'} was already received${originalId ? ` (${originalId})` : ''}; this one is not read again.`,
    };
    await insertMail(this.deps.db, row, null);
    return toItem(row);
  }

  /** Parses with the tenant's current rules and records the results. */
  private async read(tenantId: string, message: InboundMessage, messageKey: string, clientId: string | null, receivedAt: number, now: number): Promise<RecordedVerdict> {
    const { db, ingestor, clockSkewMs } = this.deps;
    const verdict = parseReport(message, await this.parseContext(tenantId, receivedAt, await readKeywordRules(db, tenantId)));
    return recordVerdict(db, ingestor, verdict, { tenantId, messageKey, clientId, now, clockSkewMs });
  }

  private async parseContext(tenantId: string, receivedAt: number, keywordRules: readonly KeywordRule[]): Promise<ParseContext> {
    const tenant = await this.deps.db.get<{ timezone: string }>('SELECT timezone FROM tenants WHERE id = ?', [tenantId]);
    return { timeZone: tenant?.timezone ?? 'UTC', keywordRules, receivedAt };
  }

  /** The stored original of message `id` (a duplicate leads to its original) with its raw bytes; 404 when none. */
  private async original(tenantId: string, id: string): Promise<MailRow & { raw: Buffer }> {
    let stored = await getMail(this.deps.db, tenantId, id);
    if (stored?.state === 'duplicate' && stored.duplicateOf) stored = await getMail(this.deps.db, tenantId, stored.duplicateOf);
    if (!stored || stored.raw === null) throw notFound(`Message ${id}`);
    return stored as MailRow & { raw: Buffer };
  }

  /**
   * Reads a stored message again with the tenant's current keyword rules (after a
   * rule was added, or a device enrolled) and records what it now yields. Results
   * recorded before are recognised and not added twice. 404 for an unknown id; a
   * duplicate is re-parsed through its original.
   */
  async reparse(tenantId: string, id: string): Promise<MailItem> {
    const stored = await this.original(tenantId, id);
    const message = await parseMessage(stored.raw);
    const verdict = await this.read(tenantId, message, stored.messageKey, stored.clientId, stored.receivedAt, this.deps.clock());
    const row: MailRow = { ...stored, ...verdict };
    await updateVerdict(this.deps.db, row);
    return toItem(row);
  }

  /**
   * What `rules` would make of a stored message, recording nothing: the keyword
   * rules editor's "test against a message". 404 for an unknown id.
   */
  async preview(tenantId: string, id: string, rules: readonly KeywordRule[]): Promise<Verdict> {
    const stored = await this.original(tenantId, id);
    return parseReport(await parseMessage(stored.raw), await this.parseContext(tenantId, stored.receivedAt, rules));
  }

  /**
   * A page of the tenant's stored mail, newest first; `state: 'unmatched'` is the
   * list a person works through. `cursor` continues after the previous page.
   */
  async list(tenantId: string, options: { state?: MailState; limit?: number; cursor?: string } = {}): Promise<{ items: MailItem[]; nextCursor: string | null }> {
    const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
    const sort = `${LIST_SORT}:${options.state ?? 'all'}`;
    let after: { receivedAt: number; id: string } | undefined;
    if (options.cursor) {
      const [receivedAt, id] = decodeCursor(options.cursor, sort, 2);
      if (typeof receivedAt !== 'number' || typeof id !== 'string') throw invalidCursor();
      after = { receivedAt, id };
    }
    const rows = await listMail(this.deps.db, tenantId, { state: options.state, limit: limit + 1, after });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const nextCursor = rows.length > limit && last ? encodeCursor({ sort, values: [last.receivedAt, last.id] }) : null;
    return { items: page.map(toItem), nextCursor };
  }

  /** Deletes mail older than the retention (30 days); returns how many. */
  async purgeExpired(now: number = this.deps.clock()): Promise<number> {
    return purgeMailBefore(this.deps.db, now - MAIL_RETENTION_MS);
  }
}

const iso = (at: number) => new Date(at).toISOString();

/** The API item of a stored row. */
export function toItem(row: MailRow): MailItem {
  return {
    id: row.id, messageId: row.messageId, from: row.from, subject: row.subject, receivedAt: iso(row.receivedAt), state: row.state,
    parser: row.parser, reason: row.reason, clientId: row.clientId,
    jobs: row.jobs.map((job) => ({
      device: job.device, deviceId: job.deviceId, jobId: job.jobId, status: job.status, startedAt: iso(job.startedAt), endedAt: iso(job.endedAt),
      bytes: job.bytes, message: job.message, problem: job.problem,
    })),
  };
}
