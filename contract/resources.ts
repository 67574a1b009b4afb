/**
 * Response bodies of the HTTP API (`/api/v1`), one zod schema per resource shape.
 * Their `z.infer` types are the wire types (re-exported by core/api.ts); the
 * OpenAPI document is generated from them.
 */
import { ALERT_TYPES, DEVICE_KINDS, HEALTH_STATUSES, type AlertType, type DeviceKind, type HealthStatus } from '../core/types.ts';
import { clockTime, isoTime, orNull, page, RefSchema, ticketPriority, weekday, z } from './common.ts';

const deviceKind = z.enum(DEVICE_KINDS as [DeviceKind, ...DeviceKind[]]);
const healthStatus = z.enum(HEALTH_STATUSES as [HealthStatus, ...HealthStatus[]]);
const alertType = z.enum(ALERT_TYPES as [AlertType, ...AlertType[]]);
const jobStatus = z.enum(['success', 'warning', 'failed', 'running']);
const severity = z.enum(['warning', 'critical']);
const slaState = z.enum(['meeting', 'breach', 'pending']);
const scope = z.enum(['admin', 'ingest', 'read', 'operate']);

export const MeSchema = z
  .object({
    tenant: RefSchema,
    scopes: z.array(scope),
    /** Set for a client-scoped embed token. */
    clientId: z.string().nullable(),
    /** Set for embed tokens. */
    expiresAt: isoTime.nullable(),
    /**
     * The IANA timezone this credential's views state their times in: its client's for a
     * client-scoped token, else the tenant's (`PUT /settings/reports {timezone}`).
     */
    timezone: z.string().openapi({ example: 'Europe/Berlin' }),
  })
  .openapi('Me');

export const DeviceItemSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: deviceKind,
    client: RefSchema,
    policy: z.object({ id: z.string(), name: z.string(), intervalHours: z.number() }),
    status: healthStatus,
    score: z.number().int().min(0).max(100),
    lastSuccessAt: isoTime.nullable(),
    lastJobStatus: jobStatus.nullable(),
    consecutiveFailures: z.number().int(),
    storage: z.object({ usedBytes: z.number().nullable(), quotaBytes: z.number().nullable() }),
    /** The maintenance window covering the device now (the longest), and when the device leaves maintenance; null when none. */
    maintenance: z.object({ name: z.string(), until: isoTime }).nullable(),
  })
  .openapi('DeviceItem');

/**
 * A row of GET /devices: the item plus its schedule (docs/schedules.md). Live `device.updated` events
 * carry the item as `include=schedule` lists it (the schedule fields, not the runs: a table keeps those from its page).
 */
const runsSchema = z.array(z.object({ slot: isoTime, result: z.enum(['success', 'warning', 'failed', 'missed', 'skipped', 'pending']), jobs: z.array(z.string()) }));

/** What a device owes by its schedule: in the detail always, in lists with `include=schedule` (or `runs`). */
const scheduleFields = {
  /** The policy's schedule: its kind and its words in the client's timezone. */
  schedule: z.object({ kind: z.enum(['interval', 'weekly', 'monthly', 'cron']), text: z.string() }),
  /** When the run the device owes is due (null when the schedule never comes due). */
  nextDueAt: isoTime.nullable(),
  /** Since when that run counts as missed; null while on schedule. */
  lateSince: isoTime.nullable(),
  /** With offline skipping: since when the workstation has been silent through a run. */
  offlineSince: isoTime.nullable(),
};

export const DeviceListItemSchema = DeviceItemSchema.extend({
  // Optional in lists: deriving them decodes each device's state (about 2.5× the cost of a page).
  schedule: scheduleFields.schedule.optional(),
  nextDueAt: scheduleFields.nextDueAt.optional(),
  lateSince: scheduleFields.lateSince.optional(),
  offlineSince: scheduleFields.offlineSince.optional(),
  /** The last 14 runs, oldest first (interval schedules: one per local day). In lists only with `include=runs` (it reads each device's recent jobs). */
  runs: runsSchema.optional(),
}).openapi('DeviceListItem');

export const JobItemSchema = z
  .object({
    id: z.string(),
    status: jobStatus,
    startedAt: isoTime,
    endedAt: isoTime.nullable(),
    bytes: z.number().nullable(),
    message: z.string().nullable(),
    logUrl: z.string().nullable(),
    /** `manual`: entered by a person with POST /devices/{id}/manual-result; `agent`: reported by a tool. */
    source: z.enum(['agent', 'manual']),
    /** Who entered a manual result (key name or token subject); null for reported jobs. */
    recordedBy: z.string().nullable(),
    /** The note of a manual result. */
    note: z.string().nullable(),
  })
  .openapi('JobItem');

export const ManualResultBodySchema = z
  .object({
    status: z.enum(['success', 'failed'], { error: 'status must be success or failed' }),
    at: isoTime.optional().openapi({ description: 'When the backup ran; default now. Not in the future.' }),
    note: z.string().openapi({ description: 'Why the result is entered by hand, e.g. "Restored test file from the USB copy; job log attached to ticket 4711". Required, up to 2,000 characters.' }),
  })
  .openapi('ManualResultBody');

export const RetireBodySchema = z
  .object({ reason: z.string().optional().openapi({ description: 'Why the device is retired ("replaced by WS-0142"); kept with the device. Up to 500 characters.' }) })
  .openapi('RetireBody');

export const DrTestItemSchema = z
  .object({ id: z.string(), at: isoTime, result: z.enum(['passed', 'failed']), message: z.string().nullable() })
  .openapi('DrTestItem');

export const AlertItemSchema = z
  .object({
    id: z.string(),
    type: alertType,
    severity,
    state: z.enum(['open', 'acknowledged', 'resolved']),
    device: RefSchema,
    client: RefSchema,
    triggeredAt: isoTime,
    updatedAt: isoTime,
    resolvedAt: isoTime.nullable(),
    acknowledgedAt: isoTime.nullable(),
    /** Who acknowledged (`key:<API key name>`, or the embed token's subject); null when not acknowledged, or acknowledged before this was recorded. */
    acknowledgedBy: z.string().nullable(),
    /** The note given with the acknowledgement. */
    acknowledgementNote: z.string().nullable(),
    reason: z.string(),
    recommendedAction: z.string(),
    /** Ids of the active silences matching the alert: its tickets, pages and reminders are not sent. Empty once resolved. */
    silencedBy: z.array(z.string()),
    /** Only on `GET /alerts/:id`: every step, oldest first, with who took it (null: the evaluator). */
    history: z
      .array(
        z.object({
          action: z.enum(['opened', 'escalated', 'acknowledged', 'unacknowledged', 'resolved']),
          at: isoTime,
          severity,
          by: z.string().nullable(),
          note: z.string().nullable(),
        }),
      )
      .optional(),
  })
  .openapi('AlertItem');

const scoreComponent = z.object({ value: z.number().min(0).max(1), weight: z.number(), points: z.number() });

export const DeviceDetailSchema = DeviceListItemSchema.extend({
  ...scheduleFields,
  /** The last 14 runs, oldest first (interval schedules: one per local day). */
  runs: runsSchema,
  enrolledAt: isoTime,
  retiredAt: isoTime.nullable(),
  /** Why it was retired, as given to DELETE /devices/{id}. */
  retiredReason: z.string().nullable(),
  /** The slug of its ping URL (`/ping/{pingKey}/{pingSlug}`); null when it has none. */
  pingSlug: z.string().nullable(),
  /**
   * How a tool reports for this device — only for admin credentials, since the URLs carry
   * the tenant's ping key: the ping URL, a cron-ready curl line and the report mail address
   * (filed under the device's client).
   */
  reporting: z.object({ pingUrl: z.string().nullable(), curl: z.string().nullable(), mailAddress: z.string() }).optional(),
  components: z.object({ recency: scoreComponent, successRate: scoreComponent, drTest: scoreComponent, storage: scoreComponent }),
  reasons: z.array(z.string()),
  /**
   * When status, score, components and reasons were evaluated: the reasons' elapsed times
   * ("… 2 h ago") count to this instant. A device is evaluated again when a result
   * arrives, its settings change, or its next check comes (nothing shown changes before).
   */
  evaluatedAt: isoTime,
  sla: z.object({ state: slaState, maxHours: z.number(), breachSince: isoTime.nullable() }),
  /** Newest first, at most 50. */
  jobs: z.array(JobItemSchema),
  /** Newest first, at most 20. */
  drTests: z.array(DrTestItemSchema),
  /** The last 90 reports, oldest first. */
  storageHistory: z.array(z.object({ at: isoTime, usedBytes: z.number(), quotaBytes: z.number().nullable() })),
  openAlerts: z.array(AlertItemSchema),
}).openapi('DeviceDetail');

export const ComplianceSummarySchema = z
  .object({
    meeting: z.number().int(),
    breach: z.number().int(),
    pending: z.number().int(),
    /** meeting / (meeting + breach) × 100, one decimal; null when nothing is counted. */
    percent: z.number().nullable(),
  })
  .openapi('ComplianceSummary');

const statusCounts = z.object({ healthy: z.number().int(), warning: z.number().int(), critical: z.number().int(), unknown: z.number().int() });

export const ClientItemSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    timezone: z.string(),
    total: z.number().int(),
    counts: statusCounts,
    compliance: ComplianceSummarySchema,
  })
  .openapi('ClientItem');

const slaHoursValue = z.number().positive().max(8760);
export const SlaHoursSchema = z.object({ workstationHours: slaHoursValue, serverHours: slaHoursValue, saasHours: slaHoursValue }).openapi('SlaHours');
export const SlaOverrideSchema = SlaHoursSchema.partial().openapi('SlaOverride');

export const ComplianceDeviceSchema = z.object({
  device: z.object({ id: z.string(), name: z.string(), kind: deviceKind }),
  client: RefSchema,
  maxHours: z.number(),
  state: slaState,
  lastSuccessAt: isoTime.nullable(),
  breachSince: isoTime.nullable(),
  /** Hours in breach at evaluation time, one decimal; null unless breach. */
  breachHours: z.number().nullable(),
});

export const ComplianceReportSchema = z
  .object({
    generatedAt: isoTime,
    client: orNull(RefSchema),
    rules: z.object({ tenant: SlaHoursSchema, client: orNull(SlaOverrideSchema), effective: orNull(SlaHoursSchema) }),
    summary: ComplianceSummarySchema,
    devices: z.array(ComplianceDeviceSchema),
  })
  .openapi('ComplianceReport');

export const WeeklyReportSchema = z
  .object({
    periodStart: isoTime,
    periodEnd: isoTime,
    totals: statusCounts.extend({ devices: z.number().int() }),
    jobSuccessRate: z.number().nullable(),
    newCriticalAlerts: z.array(AlertItemSchema),
    lowestScores: z.array(z.object({ device: RefSchema, client: RefSchema, score: z.number(), status: healthStatus })),
    storageTrend: z.array(z.object({ date: z.string().openapi({ format: 'date' }), usedBytes: z.number() })),
  })
  .openapi('WeeklyReport');

/**
 * A breach as an auditor reads it: when it began, when a success ended it (null: not yet), hours inside the period,
 * and the hours of maintenance inside its span that were excluded (why the span can be longer than the hours).
 */
export const PeriodBreachSchema = z.object({ from: isoTime, to: isoTime.nullable(), hours: z.number(), maintenanceHours: z.number() }).openapi('PeriodBreach');

/** A maintenance window that took time out of a period report for its devices, with when it was created (a backdated window shows). */
export const PeriodMaintenanceSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    scope: z.object({ clientId: z.string().optional(), deviceIds: z.array(z.string()).optional(), policyId: z.string().optional() }),
    createdAt: isoTime,
    /** Its occurrences while a device of the report it covers was counted, clipped to the period. */
    spans: z.array(z.object({ from: isoTime, to: isoTime, hours: z.number() })),
    hours: z.number(),
  })
  .openapi('PeriodMaintenance');

const periodFigures = { meetingPct: z.number().nullable(), devices: z.number().int(), devicesWithBreach: z.number().int() };

/** Compliance over a period, from the job history (`GET /compliance?period|from&to`). */
export const PeriodComplianceReportSchema = z
  .object({
    from: isoTime,
    to: isoTime,
    /** The named period asked for, or null for `from`/`to`. */
    period: z.enum(['30d', 'month', 'quarter']).nullable(),
    /** The timezone calendar periods were read in: the client's, else the tenant's. */
    timezone: z.string(),
    client: orNull(RefSchema),
    rules: z.object({ tenant: SlaHoursSchema, note: z.string() }),
    summary: z.object(periodFigures),
    clients: z.array(z.object({ id: z.string(), name: z.string(), ...periodFigures })),
    devices: z.array(
      z.object({
        device: z.object({ id: z.string(), name: z.string(), kind: deviceKind }),
        client: RefSchema,
        maxHours: z.number(),
        meetingPct: z.number().nullable(),
        breachHours: z.number(),
        /** Hours of the period the device spent in maintenance windows: counted neither as meeting nor as breach. */
        maintenanceHours: z.number(),
        breaches: z.array(PeriodBreachSchema),
      }),
    ),
    maintenance: z.array(PeriodMaintenanceSchema),
  })
  .openapi('PeriodComplianceReport');

/** Fleet trends per local day or ISO week (`GET /trends`). */
export const TrendsSchema = z
  .object({
    /** The timezone the buckets follow: the client's, else the tenant's. */
    timezone: z.string(),
    unit: z.enum(['day', 'week']),
    client: orNull(RefSchema),
    buckets: z.array(
      z.object({
        start: isoTime,
        end: isoTime,
        /** Completed runs that succeeded (success or warning) over all completed runs, 0–1; null without runs. */
        successRate: z.number().min(0).max(1).nullable(),
        jobs: z.number().int(),
        failed: z.number().int(),
        /** Percent of device time meeting the SLA over the bucket (the period computation); null when nothing is evaluable. */
        compliance: z.number().min(0).max(100).nullable(),
      }),
    ),
  })
  .openapi('Trends');

export const SlaSettingsSchema = z.object({ tenant: SlaHoursSchema, clients: z.record(z.string(), SlaOverrideSchema) }).openapi('SlaSettings');

export const ReportSettingsSchema = z
  .object({
    weeklyEnabled: z.boolean(),
    recipients: z.array(z.string()),
    deliveryDay: weekday,
    deliveryTime: clockTime,
    timezone: z.string(),
    /** Read-only. */
    lastSentAt: isoTime.nullable().optional(),
    nextDeliveryAt: isoTime.nullable().optional(),
  })
  .openapi('ReportSettings');

/** Delivery state of an outbound integration, read-only. */
export const IntegrationStatusSchema = z
  .object({
    lastSuccessAt: isoTime.nullable(),
    lastError: z.object({ at: isoTime, message: z.string() }).nullable(),
    queueDepth: z.number().int(),
    failed: z.number().int(),
  })
  .openapi('IntegrationStatus');

export const TicketMappingSchema = z.object({ ticketType: z.string(), priority: ticketPriority }).openapi('TicketMapping');

export const BusinessHoursSchema = z
  .object({
    /** IANA time zone. */
    timezone: z.string(),
    /** ISO weekdays 1 (Monday) – 7 (Sunday). */
    days: z.array(z.number().int().min(1).max(7)),
    start: clockTime,
    /** Exclusive. */
    end: clockTime,
  })
  .openapi('BusinessHours');

export const PsaSettingsSchema = z
  .object({
    enabled: z.boolean(),
    baseUrl: z.string(),
    /** Write-only: GET answers `integrationKeySet` instead. */
    integrationKey: z.string().optional(),
    integrationKeySet: z.boolean().optional(),
    failureThreshold: z.number().int(),
    mapping: z.partialRecord(alertType, orNull(TicketMappingSchema)),
    status: IntegrationStatusSchema.optional(),
  })
  .openapi('PsaSettings');

export const OnCallSettingsSchema = z
  .object({
    enabled: z.boolean(),
    baseUrl: z.string(),
    integrationKey: z.string().optional(),
    integrationKeySet: z.boolean().optional(),
    escalationPolicy: z.string(),
    breachHoursThreshold: z.number(),
    deviceKinds: z.array(deviceKind),
    businessHours: BusinessHoursSchema,
    status: IntegrationStatusSchema.optional(),
  })
  .openapi('OnCallSettings');

/** `GET /settings/alerts`: the alert workflow's reminders and ticket reopening. */
/** How the MSP presents itself in what the product sends (weekly e-mail). */
/** Monthly client reports (docs/reports.md): each client with recipients gets its previous month's period PDF. */
export const ClientReportSettingsSchema = z
  .object({
    enabled: z.boolean(),
    /** Day of the month (1–28) and hour (0–23) of the send, in each client's timezone. */
    day: z.number().int(),
    hour: z.number().int(),
    /** Clients that get a report, with their recipients. */
    recipientsByClient: z.record(z.string(), z.array(z.string())),
  })
  .openapi('ClientReportSettings');

export const BrandingSettingsSchema = z
  .object({
    /** The MSP's name in mail subjects and headers; null: the tenant's name. */
    mspName: z.string().nullable(),
    /** Accent colour of the weekly e-mail (bars, links), "#rrggbb". */
    accentColor: z.string(),
  })
  .openapi('BrandingSettings');

export const AlertSettingsSchema = z
  .object({
    /** Hours between reminders of an alert left open (default 24); 0 turns reminders off. */
    reminderHours: z.number(),
    /** A ticket resolved less than this many days ago is reopened when the problem returns (default 3); 0 never reopens. */
    reopenDays: z.number(),
  })
  .openapi('AlertSettings');

export const MailSettingsSchema = z.object({ smtpConfigured: z.boolean(), from: z.string(), status: IntegrationStatusSchema }).openapi('MailSettings');

export const DevicePageSchema = page(DeviceListItemSchema);
export const ClientPageSchema = page(ClientItemSchema);
export const AlertPageSchema = page(AlertItemSchema);

/** `POST /alerts/acknowledge`: one result per alert asked for (no `alert` when not found). */
export const BulkAcknowledgeSchema = z
  .object({
    results: z.array(
      z.object({ id: z.string(), outcome: z.enum(['acknowledged', 'unchanged', 'not-found', 'resolved']), alert: AlertItemSchema.optional() }),
    ),
  })
  .openapi('BulkAcknowledge');

/** What `POST /admin/evaluate` changed. */
export const EvaluationSummarySchema = z
  .object({
    evaluated: z.number().int(),
    devicesChanged: z.array(z.object({ id: z.string(), from: healthStatus, to: healthStatus })),
    alertsOpened: z.array(AlertItemSchema),
    alertsEscalated: z.array(AlertItemSchema),
    alertsResolved: z.array(AlertItemSchema),
  })
  .openapi('EvaluationSummary');

/** `PUT /clients/{id}` answers the client as stored. */
export const ClientRecordSchema = z.object({ id: z.string(), name: z.string(), timezone: z.string() }).openapi('ClientRecord');
/** A backup schedule: a fixed interval or a calendar read in the client's timezone. */
export const ScheduleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('interval'), hours: z.number() }),
  z.object({ kind: z.literal('weekly'), days: z.array(z.number().int()), times: z.array(z.string()) }),
  z.object({ kind: z.literal('monthly'), days: z.array(z.number().int()), times: z.array(z.string()) }),
  z.object({ kind: z.literal('cron'), expression: z.string() }),
]).openapi('Schedule');

/**
 * `PUT /policies/{id}` answers the policy as stored, with its schedule in words (read in
 * the tenant's timezone; each client reads it in its own). `intervalHours` is the
 * interval of an interval schedule (24 for calendar ones).
 */
export const PolicyRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  intervalHours: z.number(),
  schedule: ScheduleSchema,
  graceHours: z.number().nullable(),
  offline: z.object({ skipWhenOffline: z.boolean(), alertAfterDays: z.number().int() }).nullable(),
  merge: z.enum(['each-job', 'per-run']),
  mergeRule: z.enum(['last', 'worst', 'best', 'mixed-is-warning']),
  text: z.string(),
}).openapi('PolicyRecord');
/** `GET /policies`: every policy of the tenant, by name. */
export const PolicyListSchema = z.object({ items: z.array(PolicyRecordSchema) }).openapi('PolicyList');
/** `POST /policies/schedule-preview`: the next slots of a schedule in a timezone, for an editor. */
export const SchedulePreviewSchema = z.object({
  /** The schedule in words, as devices will show it. */
  text: z.string(),
  /** The next 5 slots after now (interval schedules: 5 intervals from now). */
  slots: z.array(isoTime),
}).openapi('SchedulePreview');
/** `POST /import/devices` */
export const ImportResultSchema = z.object({ created: z.number().int(), updated: z.number().int(), total: z.number().int() }).openapi('ImportResult');
/** `POST /events` */
export const IngestResultSchema = z
  .object({
    accepted: z.number().int(),
    duplicates: z.number().int(),
    /**
     * `queued`: stored; the devices are evaluated within about a second (the lag is in
     * /readyz and /metrics). `done`: evaluated before the answer (`Prefer: wait=evaluated`,
     * or nothing changed).
     */
    evaluation: z.enum(['queued', 'done']),
  })
  .openapi('IngestResult');
/** `POST /reports/weekly/send` */
export const WeeklySendSchema = z.object({ queued: z.boolean(), recipients: z.array(z.string()) }).openapi('WeeklySend');
