/**
 * The services of one app instance, built explicitly: the evaluator hears its
 * listeners as a literal list, and the background tasks, shutdown hooks and
 * readiness checks are listed here in full.
 */
import type { IntegrationStatus } from '../../core/api.ts';
import { HOUR } from '../../core/types.ts';
import type { AppDeps } from '../context.ts';
import { primaryOf } from '../db/client.ts';
import { lagReadiness } from '../http/readiness.ts';
import { Metrics } from '../metrics/metrics.ts';
import { Admission } from './admission.ts';
import { ChangeTail } from './change-tail.ts';
import { RenderPool } from './exports/render-pool.ts';
import { CredentialResolver } from './credentials.ts';
import type { EvaluationListener } from './evaluation-hooks.ts';
import { EvaluationQueue } from './evaluation-queue.ts';
import { Evaluator } from './evaluator.ts';
import { Ingestor } from './ingest/index.ts';
import { Inventory } from './inventory.ts';
import { MailDelivery } from './mail/delivery.ts';
import { MailInbox } from '../inbound/mail/inbox.ts';
import { tenantMailboxResolver } from '../inbound/mail/mailbox.ts';
import { smtpTransport } from './mail/transport.ts';
import { WeeklyMail } from './mail/weekly.ts';
import { ClientReports } from './mail/client-reports.ts';
import { OnCallDelivery } from './oncall/delivery.ts';
import { oncallEvaluationListener } from './oncall/pages.ts';
import { OnCallSettingsService } from './oncall/settings.ts';
import { OutboxDispatcher, type DispatchSummary } from './outbox/dispatcher.ts';
import { IntegrationSettings } from './outbox/integration-settings.ts';
import { outboxBacklog, pruneDelivered } from './outbox/outbox.ts';
import { integrationStatus } from './outbox/status.ts';
import { PsaDelivery } from './psa/delivery.ts';
import { PsaSettingsService } from './psa/settings.ts';
import { psaEvaluationListener } from './psa/tickets.ts';
import { reminderListener } from './reminders.ts';
import { SettingsStore } from './settings-store.ts';
import { Sweeper } from './sweeper.ts';

export interface BackgroundTask {
  name: string;
  /** Pause between the end of one run and the start of the next. */
  intervalMs: number;
  run(): Promise<void>;
}

/** Outbound integrations: the outbox dispatcher and its channels, weekly mail, PSA and On-Call settings. */
export interface Integrations {
  dispatcher: OutboxDispatcher;
  /** Delivers every outbox item due at `now` (default: the app clock). Tests drive it with the test clock. */
  dispatchDue(now?: number): Promise<DispatchSummary>;
  weeklyMail: WeeklyMail;
  clientReports: ClientReports;
  psaSettings: PsaSettingsService;
  onCallSettings: OnCallSettingsService;
  /** `GET /settings/integrations/mail`: whether SMTP is configured, and the mail channel's delivery status. */
  mailStatus(tenantId: string): Promise<{ smtpConfigured: boolean; from: string; status: IntegrationStatus }>;
  /** Drops this instance's cached integration and alert-workflow settings of a tenant (after a change). */
  forgetSettings(tenantId: string): void;
}

export interface Services {
  credentials: CredentialResolver;
  /** Stored report mail: the listener delivers into it, the `/mail` routes list and re-read it. */
  mailInbox: MailInbox;
  settings: SettingsStore;
  evaluator: Evaluator;
  ingestor: Ingestor;
  /** Devices whose events are stored but not yet evaluated; `drain()` evaluates them all now. */
  evaluationQueue: EvaluationQueue;
  inventory: Inventory;
  /** `sweeper.sweep(now)` evaluates every due device at once (no lease); `runOnce(now)` is the background turn. */
  sweeper: Sweeper;
  integrations: Integrations;
  /** The change-feed tail behind `GET /stream` (tests await `nextDelivery()` on it). */
  changeTail: ChangeTail;
  /** Open streams per credential, tenant and process (`GET /stream` answers 429 beyond). */
  streamAdmission: StreamAdmission;
  /** Worker threads for heavy renders (PDF, CSV), capped per tenant. */
  renders: RenderPool;
  /** Prometheus metrics of this instance (`GET /metrics`). */
  metrics: Metrics;
  /** Periodic work started by `startBackground`. */
  background: readonly BackgroundTask[];
  /** Called on shutdown before the database closes (end streams, release the sweep lease). */
  onShutdown: readonly (() => Promise<void> | void)[];
  /** The details of /readyz beyond "the database answers". */
  readiness(): Promise<Record<string, unknown>>;
}

/** Extra evaluation listeners (tests observe evaluations through one). */
export type StreamAdmission = Admission<'token' | 'tenant' | 'process'>;

export interface ServiceOptions {
  evaluationListeners?: readonly EvaluationListener[];
}

const DEFAULT_SWEEP_INTERVAL_MS = 60_000;
/** Delivered outbox items are kept this long (the status's "last success" reads them). */
const DELIVERED_RETENTION_MS = 30 * 24 * 3_600_000;
/** How long changes stay in the feed for reconnecting streams (Last-Event-ID). */
export const CHANGE_RETENTION_MS = HOUR;

/** One background sweep, timed and counted when this instance held the lease. */
async function timedSweep(sweeper: Sweeper, metrics: Metrics, clock: AppDeps['clock']): Promise<void> {
  const stop = metrics.sweepDuration.startTimer();
  const summary = await sweeper.runOnce(clock());
  if (!summary) return;
  stop();
  metrics.devicesEvaluated.inc({ trigger: 'sweep' }, summary.evaluated);
}

export function createServices(deps: AppDeps, options: ServiceOptions = {}): Services {
  const { db, config, clock, instanceId } = deps;
  const credentials = new CredentialResolver(db, clock);
  const settings = new SettingsStore(db, clock);
  const integrationSettings = new IntegrationSettings(settings, clock);

  const evaluator = new Evaluator(settings, [
    psaEvaluationListener(integrationSettings, config),
    oncallEvaluationListener(integrationSettings, config),
    reminderListener(integrationSettings, config),
    ...(options.evaluationListeners ?? []),
  ]);
  const sweepIntervalMs = config.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS;
  // A lease outlives two missed turns before another instance takes over.
  const sweeper = new Sweeper(db, evaluator, instanceId, Math.max(3 * sweepIntervalMs, 30_000));

  // A worker cannot open an in-memory database: it is then handed the report.
  const workerDatabase = deps.databaseOptions && deps.databaseOptions.url !== ':memory:' ? deps.databaseOptions : null;
  const renders = new RenderPool(config.heavyWork, { database: workerDatabase, db, settings });
  const dispatcher = new OutboxDispatcher({
    db,
    instanceId,
    handlers: {
      psa: new PsaDelivery(db, settings, config.integrationNetworks),
      oncall: new OnCallDelivery(settings, config.integrationNetworks),
      mail: new MailDelivery(db, config, config.smtpUrl ? smtpTransport(config.smtpUrl) : null, settings, renders),
    },
  });
  const weeklyMail = new WeeklyMail(db, settings);
  const clientReports = new ClientReports(db, settings);
  const integrations: Integrations = {
    dispatcher,
    dispatchDue: (now = clock()) => dispatcher.dispatchDue(now),
    weeklyMail,
    clientReports,
    psaSettings: new PsaSettingsService(db, settings, integrationSettings, credentials, config.integrationNetworks),
    onCallSettings: new OnCallSettingsService(db, settings, integrationSettings, config.integrationNetworks),
    forgetSettings: (tenantId) => integrationSettings.forget(tenantId),
    mailStatus: async (tenantId) => ({ smtpConfigured: config.smtpUrl !== null, from: config.mailFrom, status: await integrationStatus(db, tenantId, 'mail') }),
  };
  // The tail polls for the newest changes: a replica would delay every stream by its lag.
  const changeTail = new ChangeTail(primaryOf(db), { clock });
  const streams = config.streamLimits;
  const metrics = new Metrics(db, clock, { streamSubscribers: () => changeTail.size, replica: db.replica });
  const lag = lagReadiness(db, clock);

  const evaluationQueue = new EvaluationQueue(db, evaluator, clock, {
    autoDrain: config.drainEvaluations,
    onEvaluated: (count) => metrics.devicesEvaluated.inc({ trigger: 'ingest' }, count),
  });
  const ingestor = new Ingestor(db, evaluator, evaluationQueue, metrics);
  return {
    credentials,
    mailInbox: new MailInbox({ db, ingestor, clock, tenantForMailbox: tenantMailboxResolver(db), clockSkewMs: config.clockSkewMs }),
    settings,
    evaluator,
    ingestor,
    evaluationQueue,
    inventory: new Inventory(db, evaluator),
    sweeper,
    integrations,
    changeTail,
    streamAdmission: new Admission({ token: streams.perToken, tenant: streams.perTenant, process: streams.perProcess }),
    renders,
    metrics,
    background: [
      // Marks another instance (or this one before a crash) left: kicks cover this instance's own.
      ...(config.drainEvaluations ? [{ name: 'evaluation-drain', intervalMs: 250, run: async () => void (await evaluationQueue.drain()) }] : []),
      { name: 'sweep', intervalMs: sweepIntervalMs, run: () => timedSweep(sweeper, metrics, clock) },
      { name: 'changes-prune', intervalMs: 5 * 60_000, run: async () => void (await changeTail.prune(clock() - CHANGE_RETENTION_MS)) },
      { name: 'outbox-dispatch', intervalMs: 1_000, run: async () => void (await dispatcher.dispatchDue(clock())) },
      { name: 'weekly-email', intervalMs: 60_000, run: async () => void (await weeklyMail.runSchedule(clock())) },
      { name: 'client-reports', intervalMs: 60_000, run: async () => void (await clientReports.runSchedule(clock())) },
      { name: 'outbox-prune', intervalMs: 3_600_000, run: async () => void (await pruneDelivered(db, clock() - DELIVERED_RETENTION_MS)) },
    ],
    onShutdown: [() => evaluationQueue.stop(), () => sweeper.release(), () => changeTail.close(), () => renders.close()],
    async readiness() {
      return {
        sweep: sweeper.readiness(),
        streams: changeTail.size,
        renders: renders.running,
        outbox: await outboxBacklog(db),
        smtp: config.smtpUrl ? 'configured' : 'not configured',
        drainsEvaluations: config.drainEvaluations,
        lag: { ...(await lag()).lag, evaluation: await evaluationQueue.lag() },
      };
    },
  };
}
