/**
 * Monthly client reports (docs/reports.md): on the configured day and hour in
 * each client's timezone, the client's previous calendar month as the period PDF,
 * e-mailed to its recipients through the outbox. Exactly once per client and month
 * across instances and restarts: the `client_reports` primary key (tenant, client,
 * month) is the claim, and the instance whose INSERT succeeds enqueues the mail in the
 * same transaction (dedup key `client-report:<client>:<YYYY-MM>`). After downtime only
 * the newest month is owed, and only within LATE_WINDOW_MS of its slot.
 */
import { latestMonthlySlot } from '../../../core/client-report-schedule.ts';
import { DAY } from '../../../core/types.ts';
import type { ClientReportSettings } from '../../../core/api.ts';
import type { Database } from '../../db/client.ts';
import { log } from '../../log.ts';
import type { PeriodFigures } from '../exports/render-pool.ts';
import { enqueue } from '../outbox/outbox.ts';
import type { ClientReportSettingsDoc, SettingsStore } from '../settings-store.ts';
import { iso } from '../views.ts';
import { escapeHtml, formatDateTime } from './format.ts';

/** A slot older than this is not sent late (e.g. reports turned on mid-month wait for next month's). */
export const LATE_WINDOW_MS = 7 * DAY;

/** Outbox payload of a client report; the PDF is rendered when it is sent. */
export interface ClientReportPayload {
  clientId: string;
  monthKey: string;
  from: string;
  to: string;
  recipients: string[];
}

const TENANTS_SQL = "SELECT tenant_id FROM settings WHERE key = 'clientReports'";
const CLIENTS_SQL = `SELECT c.id, COALESCE(c.timezone, t.timezone, 'UTC') AS timezone FROM json_each(?2) j
  JOIN clients c ON c.tenant_id = ?1 AND c.id = j.value JOIN tenants t ON t.id = c.tenant_id`;
const SENT_SQL = 'SELECT 1 AS sent FROM client_reports WHERE tenant_id = ? AND client_id = ? AND month_key = ?';
const CLAIM_SQL = `INSERT INTO client_reports (tenant_id, client_id, month_key, slot_at, created_at) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (tenant_id, client_id, month_key) DO NOTHING`;

/** The settings as the API shows them: only clients that have recipients. */
export function clientReportsView(doc: ClientReportSettingsDoc): ClientReportSettings {
  const recipientsByClient = Object.fromEntries(Object.entries(doc.recipientsByClient).filter((entry): entry is [string, string[]] => Array.isArray(entry[1]) && entry[1].length > 0));
  return { enabled: doc.enabled, day: doc.day, hour: doc.hour, recipientsByClient };
}

export class ClientReports {
  constructor(
    private readonly db: Database,
    private readonly settings: SettingsStore,
  ) {}

  /** Queues every report whose slot has passed (within LATE_WINDOW_MS) and is not yet claimed. Returns what it queued. */
  async runSchedule(now: number): Promise<{ tenantId: string; clientId: string; monthKey: string }[]> {
    const queued: { tenantId: string; clientId: string; monthKey: string }[] = [];
    for (const { tenant_id: tenantId } of await this.db.all<{ tenant_id: string }>(TENANTS_SQL)) {
      try {
        queued.push(...(await this.scheduleTenant(tenantId, now)).map((sent) => ({ tenantId, ...sent })));
      } catch (error) {
        log.error('client report scheduling failed', { tenantId, error: String((error as Error)?.message ?? error) });
      }
    }
    return queued;
  }

  private async scheduleTenant(tenantId: string, now: number): Promise<{ clientId: string; monthKey: string }[]> {
    const doc = clientReportsView(await this.settings.get(tenantId, 'clientReports'));
    if (!doc.enabled) return [];
    const ids = Object.keys(doc.recipientsByClient);
    if (ids.length === 0) return [];
    const queued: { clientId: string; monthKey: string }[] = [];
    for (const client of await this.db.all<{ id: string; timezone: string }>(CLIENTS_SQL, [tenantId, JSON.stringify(ids)])) {
      const slot = latestMonthlySlot(now, doc, client.timezone);
      if (now - slot.slotAt > LATE_WINDOW_MS) continue;
      if (await this.db.get(SENT_SQL, [tenantId, client.id, slot.monthKey])) continue;
      const claimed = await this.db.transaction(async (tx) => {
        const { changes } = await tx.run(CLAIM_SQL, [tenantId, client.id, slot.monthKey, slot.slotAt, now]);
        if (changes !== 1) return false;
        const payload: ClientReportPayload = { clientId: client.id, monthKey: slot.monthKey, from: iso(slot.from)!, to: iso(slot.to)!, recipients: doc.recipientsByClient[client.id]! };
        await enqueue(tx, { tenantId, channel: 'mail', kind: 'client-report', dedupKey: `client-report:${client.id}:${slot.monthKey}`, payload, now });
        return true;
      });
      if (claimed) queued.push({ clientId: client.id, monthKey: slot.monthKey });
    }
    return queued;
  }
}

/** `October 2026`: the reported month, as the client's calendar names it. */
export function monthName(monthKey: string): string {
  const [year, month] = monthKey.split('-').map(Number);
  return new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(year!, month! - 1, 15));
}

/** The e-mail around the attached PDF: the month's figures in a few lines, every time in the client's timezone. */
export function clientReportEmail(payload: ClientReportPayload, figures: PeriodFigures): { subject: string; text: string; html: string } {
  const client = figures.client?.name ?? payload.clientId;
  const month = monthName(payload.monthKey);
  const tz = figures.timezone;
  const pct = figures.meetingPct === null ? 'n/a (nothing was counted)' : `${figures.meetingPct} %`;
  const lines = [
    `Backup SLA compliance for ${client}, ${month}.`,
    `Period: ${formatDateTime(payload.from, tz, true)} – ${formatDateTime(payload.to, tz, true)} (times in ${tz}).`,
    '',
    `Meeting the SLA: ${pct} of the time.`,
    `Devices: ${figures.devices}, of which ${figures.devicesWithBreach} had a breach.`,
    `Breaches: ${figures.breaches} (${figures.breachHours} h in breach in total).`,
    '',
    'The full report (breaches with their durations, a weekly chart and every device) is attached as a PDF.',
    '',
    `— ${figures.mspName}`,
  ];
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(`Backup report ${month} — ${client}`)}</title></head><body style="font-family:Arial,Helvetica,sans-serif;color:#111827;">${lines
    .map((line) => (line === '' ? '' : `<p style="margin:0 0 8px;">${escapeHtml(line)}</p>`))
    .join('')}</body></html>`;
  return { subject: `Backup report ${month} — ${client} — ${figures.mspName}`, text: lines.join('\n'), html };
}
