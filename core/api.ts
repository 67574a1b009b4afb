/**
 * Wire types of the HTTP API (`/api/v1`), shared by the BFF that produces them and the
 * widgets that consume them. Times are ISO-8601 UTC strings here.
 */
import type {
  AlertSeverity,
  AlertState,
  AlertType,
  ComplianceSummary,
  ComponentName,
  DeviceKind,
  HealthStatus,
  JobStatus,
  ScoreComponent,
  SlaHours,
  SlaOverride,
  SlaStateName,
  TicketMapping,
  Weekday,
  BusinessHours,
} from './types.ts';

export type IsoTime = string;

export interface Ref {
  id: string;
  name: string;
}

/** RFC 9457 problem details. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  /** Per-item errors, e.g. `{ index: 3, path: 'endedAt', message: '…' }` for a batch. */
  errors?: { index?: number; row?: number; path?: string; message: string }[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** `GET /me`: who the bearer is. */
export interface Me {
  tenant: Ref;
  scopes: ('admin' | 'ingest' | 'read' | 'operate')[];
  /** Set for a client-scoped embed token. */
  clientId: string | null;
  /** Set for embed tokens. */
  expiresAt: IsoTime | null;
}

export interface DeviceItem {
  id: string;
  name: string;
  kind: DeviceKind;
  client: Ref;
  policy: Ref & { intervalHours: number };
  status: HealthStatus;
  score: number;
  lastSuccessAt: IsoTime | null;
  lastJobStatus: JobStatus | null;
  consecutiveFailures: number;
  storage: { usedBytes: number | null; quotaBytes: number | null };
}

export interface JobItem {
  id: string;
  status: JobStatus;
  startedAt: IsoTime;
  endedAt: IsoTime | null;
  bytes: number | null;
  message: string | null;
  logUrl: string | null;
}

export interface DrTestItem {
  id: string;
  at: IsoTime;
  result: 'passed' | 'failed';
  message: string | null;
}

export interface AlertItem {
  id: string;
  type: AlertType;
  severity: AlertSeverity;
  state: AlertState;
  device: Ref;
  client: Ref;
  triggeredAt: IsoTime;
  updatedAt: IsoTime;
  resolvedAt: IsoTime | null;
  acknowledgedAt: IsoTime | null;
  reason: string;
  recommendedAction: string;
  /** Only on `GET /alerts/:id`: every transition with its time. */
  history?: { action: 'opened' | 'escalated' | 'acknowledged' | 'resolved'; at: IsoTime; severity: AlertSeverity; note: string | null }[];
}

export interface DeviceDetail extends DeviceItem {
  enrolledAt: IsoTime;
  retiredAt: IsoTime | null;
  components: Record<ComponentName, ScoreComponent>;
  reasons: string[];
  sla: { state: SlaStateName; maxHours: number; breachSince: IsoTime | null };
  jobs: JobItem[];
  drTests: DrTestItem[];
  storageHistory: { at: IsoTime; usedBytes: number; quotaBytes: number | null }[];
  openAlerts: AlertItem[];
}

export interface ClientItem {
  id: string;
  name: string;
  timezone: string;
  total: number;
  counts: Record<HealthStatus, number>;
  compliance: ComplianceSummary;
}

export interface ComplianceDevice {
  device: Ref & { kind: DeviceKind };
  client: Ref;
  maxHours: number;
  state: SlaStateName;
  lastSuccessAt: IsoTime | null;
  breachSince: IsoTime | null;
  /** Hours in breach at evaluation time, one decimal; null unless breach. */
  breachHours: number | null;
}

export interface ComplianceReport {
  generatedAt: IsoTime;
  client: Ref | null;
  rules: { tenant: SlaHours; client: SlaOverride | null; effective: SlaHours | null };
  summary: ComplianceSummary;
  devices: ComplianceDevice[];
}

export interface WeeklyReportJson {
  periodStart: IsoTime;
  periodEnd: IsoTime;
  totals: { devices: number; healthy: number; warning: number; critical: number; unknown: number };
  jobSuccessRate: number | null;
  newCriticalAlerts: AlertItem[];
  lowestScores: { device: Ref; client: Ref; score: number; status: HealthStatus }[];
  storageTrend: { date: string; usedBytes: number }[];
}

export interface SlaSettings {
  tenant: SlaHours;
  clients: Record<string, SlaOverride>;
}

export interface ReportSettings {
  weeklyEnabled: boolean;
  recipients: string[];
  deliveryDay: Weekday;
  deliveryTime: string;
  timezone: string;
  /** Read-only. */
  lastSentAt?: IsoTime | null;
  nextDeliveryAt?: IsoTime | null;
}

/** Delivery state of an outbound integration, read-only. */
export interface IntegrationStatus {
  lastSuccessAt: IsoTime | null;
  lastError: { at: IsoTime; message: string } | null;
  queueDepth: number;
  failed: number;
}

export interface PsaSettings {
  enabled: boolean;
  baseUrl: string;
  /** Write-only: GET answers `integrationKeySet` instead. */
  integrationKey?: string;
  integrationKeySet?: boolean;
  failureThreshold: number;
  mapping: Partial<Record<AlertType, TicketMapping | null>>;
  status?: IntegrationStatus;
}

export interface OnCallSettings {
  enabled: boolean;
  baseUrl: string;
  integrationKey?: string;
  integrationKeySet?: boolean;
  escalationPolicy: string;
  breachHoursThreshold: number;
  deviceKinds: DeviceKind[];
  businessHours: BusinessHours;
  status?: IntegrationStatus;
}

/** Server-Sent Events on `GET /stream`. */
export interface StreamEvents {
  'device.updated': DeviceItem;
  'alert.opened': AlertItem;
  'alert.updated': AlertItem;
  'alert.resolved': AlertItem;
}
