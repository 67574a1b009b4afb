/**
 * Registers the integrations area (SPEC §5–§8): the outbox dispatcher and its
 * channels (PSA tickets, On-Call pages, e-mail), the evaluation listeners that
 * enqueue tickets and pages in the evaluator's transaction, the weekly e-mail
 * schedule, the integration settings, compliance exports and "send weekly now".
 */
import type { IntegrationStatus } from '../../core/api.ts';
import type { AppDeps } from '../context.ts';
import { exportRoutes } from '../routes/exports.ts';
import { integrationSettingsRoutes } from '../routes/integration-settings.ts';
import { weeklySendRoutes } from '../routes/weekly-send.ts';
import type { Services } from '../services/index.ts';
import { MailDelivery } from '../services/mail/delivery.ts';
import { smtpTransport } from '../services/mail/transport.ts';
import { WeeklyMail } from '../services/mail/weekly.ts';
import { OnCallDelivery } from '../services/oncall/delivery.ts';
import { oncallEvaluationListener } from '../services/oncall/pages.ts';
import { OnCallSettingsService } from '../services/oncall/settings.ts';
import { OutboxDispatcher, type DispatchSummary } from '../services/outbox/dispatcher.ts';
import { IntegrationSettings } from '../services/outbox/integration-settings.ts';
import { outboxBacklog, pruneDelivered } from '../services/outbox/outbox.ts';
import { integrationStatus } from '../services/outbox/status.ts';
import { PsaDelivery } from '../services/psa/delivery.ts';
import { PsaSettingsService } from '../services/psa/settings.ts';
import { psaEvaluationListener } from '../services/psa/tickets.ts';

/** Delivered outbox items are kept this long (the status's "last success" reads them). */
const DELIVERED_RETENTION_MS = 30 * 24 * 3_600_000;

export interface Integrations {
  dispatcher: OutboxDispatcher;
  /** Delivers every outbox item due at `now` (default: the app clock). Tests drive it with the test clock. */
  dispatchDue(now?: number): Promise<DispatchSummary>;
  weeklyMail: WeeklyMail;
  psaSettings: PsaSettingsService;
  onCallSettings: OnCallSettingsService;
  /** `GET /settings/integrations/mail`: whether SMTP is configured, and the mail channel's delivery status. */
  mailStatus(tenantId: string): Promise<{ smtpConfigured: boolean; from: string; status: IntegrationStatus }>;
}

/** The integrations area of an app's services. */
export function integrationsOf(services: Services): Integrations {
  const integrations = services.integrations as Integrations | undefined;
  if (!integrations) throw new Error('The integrations area is not wired');
  return integrations;
}

export function wireIntegrations(services: Services, deps: AppDeps): void {
  const { db, config, clock } = deps;
  const settingsCache = new IntegrationSettings(services.settings, clock);
  const dispatcher = new OutboxDispatcher({
    db,
    instanceId: deps.instanceId,
    handlers: {
      psa: new PsaDelivery(db, services.settings, config.integrationNetworks),
      oncall: new OnCallDelivery(services.settings, config.integrationNetworks),
      mail: new MailDelivery(db, config, config.smtpUrl ? smtpTransport(config.smtpUrl) : null),
    },
  });
  const weeklyMail = new WeeklyMail(db, services.settings);
  const integrations: Integrations = {
    dispatcher,
    dispatchDue: (now = clock()) => dispatcher.dispatchDue(now),
    weeklyMail,
    psaSettings: new PsaSettingsService(db, services.settings, settingsCache, services.credentials, config.integrationNetworks),
    onCallSettings: new OnCallSettingsService(db, services.settings, settingsCache, config.integrationNetworks),
    mailStatus: async (tenantId) => ({ smtpConfigured: config.smtpUrl !== null, from: config.mailFrom, status: await integrationStatus(db, tenantId, 'mail') }),
  };
  services.integrations = integrations;

  services.evaluationListeners.push(psaEvaluationListener(settingsCache, config), oncallEvaluationListener(settingsCache, config));
  services.routes.push(integrationSettingsRoutes(deps, integrations), exportRoutes(deps, services), weeklySendRoutes(deps, integrations));
  services.readinessChecks.push(async () => ({ outbox: await outboxBacklog(db), smtp: config.smtpUrl ? 'configured' : 'not configured' }));
  services.background.push(
    { name: 'outbox-dispatch', intervalMs: 1_000, run: async () => void (await dispatcher.dispatchDue(clock())) },
    { name: 'weekly-email', intervalMs: 60_000, run: async () => void (await weeklyMail.runSchedule(clock())) },
    { name: 'outbox-prune', intervalMs: 3_600_000, run: async () => void (await pruneDelivered(db, clock() - DELIVERED_RETENTION_MS)) },
  );
}
