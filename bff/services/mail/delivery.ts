/**
 * Delivers the mail outbox items: computes the weekly report for the item's period
 * (at send time, from the same data as `GET /reports/weekly`), renders it and sends
 * it over SMTP. Without SMTP_URL the item fails with an error an admin can act on.
 */
import type { AppConfig } from '../../context.ts';
import type { Database } from '../../db/client.ts';
import type { ChannelHandler, DeliveryContext, DeliveryOutcome } from '../outbox/delivery.ts';
import type { OutboxItem } from '../outbox/outbox.ts';
import type { SettingsStore } from '../settings-store.ts';
import { getTenant } from '../tenants.ts';
import { weeklyReportData } from '../weekly-data.ts';
import { smtpFailure, type MailTransport } from './transport.ts';
import type { WeeklyMailPayload } from './weekly.ts';
import { renderWeeklyEmail } from './weekly-email.ts';

export class MailDelivery implements ChannelHandler {
  constructor(
    private readonly db: Database,
    private readonly config: AppConfig,
    private readonly transport: MailTransport | null,
    private readonly settings: SettingsStore,
  ) {}

  async deliver(item: OutboxItem, _context: DeliveryContext): Promise<DeliveryOutcome> {
    if (item.kind !== 'weekly') return { kind: 'failed', error: `Unknown mail outbox item kind "${item.kind}".` };
    if (!this.transport) {
      return { kind: 'failed', error: 'SMTP_URL is not configured, so e-mail cannot be sent: set SMTP_URL (e.g. smtp://user:pass@mail.example.com:587) and restart.' };
    }
    const payload = item.payload as WeeklyMailPayload;
    const tenant = await getTenant(this.db, item.tenantId);
    if (!tenant) return { kind: 'failed', error: 'The tenant no longer exists.' };
    const report = await weeklyReportData(this.db, item.tenantId, payload.periodStart, payload.periodEnd, null, payload.timezone);
    const branding = await this.settings.get(item.tenantId, 'branding');
    const email = renderWeeklyEmail(report, { tenantName: branding.mspName ?? tenant.name, accentColor: branding.accentColor, timezone: payload.timezone, publicUrl: this.config.publicUrl });
    try {
      const sent = await this.transport.send({
        from: this.config.mailFrom,
        to: payload.recipients,
        subject: email.subject,
        text: email.text,
        html: email.html,
        messageId: `<${item.id}@backup-health>`,
      });
      return { kind: 'delivered', response: { accepted: sent.accepted, rejected: sent.rejected, periodEnd: report.periodEnd } };
    } catch (error) {
      return smtpFailure(error);
    }
  }
}
