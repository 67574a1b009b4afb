/**
 * Delivers the mail outbox items: computes the weekly report for the item's period
 * (at send time, from the same data as `GET /reports/weekly`), renders it and sends
 * it over SMTP. Without SMTP_URL the item fails with an error an admin can act on.
 */
import type { AppConfig } from '../../context.ts';
import type { Database } from '../../db/client.ts';
import { ProblemError } from '../../http/problem.ts';
import type { RenderPool, Rendered } from '../exports/render-pool.ts';
import { clientReportEmail, type ClientReportPayload } from './client-reports.ts';
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
    /** Renders the client reports' PDFs (off the event loop). */
    private readonly renders: RenderPool,
  ) {}

  async deliver(item: OutboxItem, context: DeliveryContext): Promise<DeliveryOutcome> {
    if (item.kind !== 'weekly' && item.kind !== 'client-report') return { kind: 'failed', error: `Unknown mail outbox item kind "${item.kind}".` };
    if (!this.transport) {
      return { kind: 'failed', error: 'SMTP_URL is not configured, so e-mail cannot be sent: set SMTP_URL (e.g. smtp://user:pass@mail.example.com:587) and restart.' };
    }
    if (item.kind === 'client-report') return this.deliverClientReport(item, this.transport, context.now);
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

  /** A client's monthly report: its period PDF rendered off the event loop, attached to a short summary. */
  private async deliverClientReport(item: OutboxItem, transport: MailTransport, now: number): Promise<DeliveryOutcome> {
    const payload = item.payload as ClientReportPayload;
    let rendered: Rendered;
    try {
      rendered = await this.renders.render({ format: 'pdf', tenantId: item.tenantId, clientId: payload.clientId, now, period: { from: payload.from, to: payload.to } });
    } catch (error) {
      if (error instanceof ProblemError && error.status === 429) return { kind: 'retry', error: 'The render pool is busy.', retryAfterMs: 5_000 };
      if (error instanceof ProblemError) return { kind: 'failed', error: `The report cannot be built: ${error.message}` };
      throw error;
    }
    const email = clientReportEmail(payload, rendered.figures!);
    try {
      const sent = await transport.send({
        from: this.config.mailFrom,
        to: payload.recipients,
        subject: email.subject,
        text: email.text,
        html: email.html,
        messageId: `<${item.id}@backup-health>`,
        attachments: [{ filename: rendered.filename, content: Buffer.from(rendered.output as Uint8Array), contentType: 'application/pdf' }],
      });
      return { kind: 'delivered', response: { accepted: sent.accepted, rejected: sent.rejected, month: payload.monthKey } };
    } catch (error) {
      return smtpFailure(error);
    }
  }
}
