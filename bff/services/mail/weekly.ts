/**
 * Scheduling the weekly e-mail (docs/decisions.md, "Integrations"): once per tenant and ISO week, across
 * restarts and instances. The `weekly_reports` primary key (tenant, week) is the
 * claim: the instance whose INSERT succeeds enqueues the mail in the same
 * transaction; every other attempt is a no-op.
 */
import { DAY, deliveryWeekKey, latestDeliverySlot } from '../../../core/index.ts';
import type { Database } from '../../db/client.ts';
import { unprocessable } from '../../http/problem.ts';
import { log } from '../../log.ts';
import { enqueue, newOutboxId } from '../outbox/outbox.ts';
import type { ReportSettingsDoc, SettingsStore } from '../settings-store.ts';

/** A slot older than this is not sent late (e.g. weekly mail enabled mid-week waits for the next slot). */
export const LATE_DELIVERY_WINDOW_MS = DAY;

/** Outbox payload of a weekly e-mail; the figures are computed when it is sent. */
export interface WeeklyMailPayload {
  periodStart: number;
  periodEnd: number;
  recipients: string[];
  timezone: string;
  trigger: 'scheduled' | 'manual';
}

const TENANTS_WITH_REPORTS_SQL = "SELECT tenant_id FROM settings WHERE key = 'reports'";
const SENT_SQL = 'SELECT 1 AS sent FROM weekly_reports WHERE tenant_id = ? AND week_key = ?';
const CLAIM_WEEK_SQL = `INSERT INTO weekly_reports (tenant_id, week_key, slot_at, created_at) VALUES (?, ?, ?, ?)
  ON CONFLICT (tenant_id, week_key) DO NOTHING`;

const scheduleOf = (reports: ReportSettingsDoc) => ({ deliveryDay: reports.deliveryDay, deliveryTime: reports.deliveryTime, timezone: reports.timezone });

export class WeeklyMail {
  constructor(
    private readonly db: Database,
    private readonly settings: SettingsStore,
  ) {}

  /**
   * Queues this week's e-mail for every tenant whose delivery slot has passed (within
   * the last 24 h) and that has not been sent for that week. Returns the tenants queued.
   */
  async runSchedule(now: number): Promise<string[]> {
    const queued: string[] = [];
    const tenants = await this.db.all<{ tenant_id: string }>(TENANTS_WITH_REPORTS_SQL);
    for (const { tenant_id: tenantId } of tenants) {
      try {
        if (await this.scheduleTenant(tenantId, now)) queued.push(tenantId);
      } catch (error) {
        log.error('weekly e-mail scheduling failed', { tenantId, error: String((error as Error)?.message ?? error) });
      }
    }
    return queued;
  }

  private async scheduleTenant(tenantId: string, now: number): Promise<boolean> {
    const reports = await this.settings.get(tenantId, 'reports');
    if (!reports.weeklyEnabled || reports.recipients.length === 0) return false;
    const slot = latestDeliverySlot(now, scheduleOf(reports));
    if (now - slot > LATE_DELIVERY_WINDOW_MS) return false;
    const weekKey = deliveryWeekKey(slot, reports.timezone);
    if (await this.db.get(SENT_SQL, [tenantId, weekKey])) return false;
    return this.db.transaction(async (tx) => {
      const { changes } = await tx.run(CLAIM_WEEK_SQL, [tenantId, weekKey, slot, now]);
      if (changes !== 1) return false;
      const payload: WeeklyMailPayload = { periodStart: slot - 7 * DAY, periodEnd: slot, recipients: reports.recipients, timezone: reports.timezone, trigger: 'scheduled' };
      await enqueue(tx, { tenantId, channel: 'mail', kind: 'weekly', dedupKey: `weekly:${weekKey}`, payload, now });
      return true;
    });
  }

  /**
   * `POST /reports/weekly/send`: queues the summary of the 7 days ending now for the
   * configured recipients. 422 when there are none.
   */
  async sendNow(tenantId: string, now: number): Promise<{ recipients: string[] }> {
    const reports = await this.settings.get(tenantId, 'reports');
    if (reports.recipients.length === 0) {
      throw unprocessable('There are no recipients: add e-mail addresses with PUT /api/v1/settings/reports {"recipients": [...]} first.', [
        { path: 'recipients', message: 'At least one recipient is needed.' },
      ]);
    }
    const payload: WeeklyMailPayload = { periodStart: now - 7 * DAY, periodEnd: now, recipients: reports.recipients, timezone: reports.timezone, trigger: 'manual' };
    await this.db.transaction((tx) => enqueue(tx, { tenantId, channel: 'mail', kind: 'weekly', dedupKey: `manual:${newOutboxId(now)}`, payload, now }));
    return { recipients: reports.recipients };
  }
}
