import type {
  AlertItem,
  ClientItem,
  ComplianceReport,
  DeviceDetail,
  DeviceItem,
  Me,
  OnCallSettings,
  Page,
  PsaSettings,
  ReportSettings,
  SlaSettings,
  WeeklyReportJson,
} from '../../core/api.ts';
import type { AlertSeverity, AlertState, AlertType, DeviceKind, HealthStatus, SlaHours } from '../../core/types.ts';
import { AuthExpiredError, ProblemError, isAbortError, problemOf, unreachableProblem } from './api-errors.ts';
import { LiveStream } from './live-stream.ts';

export type DeviceSort = 'score' | 'name' | 'lastSuccessAt' | 'storage' | 'status' | 'client' | 'kind' | 'policy';
export type SortOrder = 'asc' | 'desc';

export interface DeviceQuery {
  client?: string;
  status?: HealthStatus;
  kind?: DeviceKind;
  q?: string;
  sort?: DeviceSort;
  order?: SortOrder;
  /** Up to 500. */
  limit?: number;
  cursor?: string | null;
}

export interface AlertQuery {
  /** `active` = open + acknowledged. */
  state?: AlertState | 'active';
  severity?: AlertSeverity;
  type?: AlertType;
  client?: string;
  device?: string;
  limit?: number;
  cursor?: string | null;
}

export interface SettingsSections {
  sla: SlaSettings;
  reports: ReportSettings;
  psa: PsaSettings;
  oncall: OnCallSettings;
}
export type SettingsSection = keyof SettingsSections;

/**
 * `PUT` bodies carry only the fields they change. For SLA overrides `null` removes a
 * client's override (or one of its hours) so the tenant rule applies again.
 */
export interface SlaSettingsPatch {
  tenant?: Partial<SlaHours>;
  clients?: Record<string, { [K in keyof SlaHours]?: number | null } | null>;
}
export type SettingsPatch<K extends SettingsSection> = K extends 'sla' ? SlaSettingsPatch : Partial<SettingsSections[K]>;

const SETTINGS_PATHS: Record<SettingsSection, string> = {
  sla: '/settings/sla',
  reports: '/settings/reports',
  psa: '/settings/integrations/psa',
  oncall: '/settings/integrations/oncall',
};

export interface DownloadedFile {
  blob: Blob;
  filename: string;
}

type Query = Record<string, string | number | null | undefined>;

/**
 * Typed access to the Backup Health HTTP API (`{apiBase}/api/v1`). Every request carries
 * `Authorization: Bearer <token>`; failures throw {@link ProblemError}, and a 401 throws
 * {@link AuthExpiredError}. The token can be replaced at any time (`client.token = …`):
 * later requests use it and a `tokenchange` event tells listeners to retry.
 *
 * @example
 * const api = new ApiClient('https://bff.example.com', 'bhe_…');
 * const { items } = await api.listDevices({ status: 'critical', sort: 'score' });
 */
export class ApiClient extends EventTarget {
  readonly apiBase: string;
  #token: string;
  #expiryNoted = false;
  #stream?: LiveStream;

  constructor(apiBase: string, token: string) {
    super();
    this.apiBase = apiBase.replace(/\/+$/, '');
    this.#token = token;
  }

  get token(): string {
    return this.#token;
  }

  set token(token: string) {
    if (token === this.#token) return;
    this.#token = token;
    this.#expiryNoted = false;
    this.dispatchEvent(new Event('tokenchange'));
  }

  /** The live stream of this client, shared by every widget using it. */
  get stream(): LiveStream {
    return (this.#stream ??= new LiveStream(this));
  }

  /**
   * True the first time a 401 is seen for the current token: widgets sharing a client
   * then announce the expiry once rather than once each.
   */
  noteAuthExpired(): boolean {
    if (this.#expiryNoted) return false;
    this.#expiryNoted = true;
    return true;
  }

  url(path: string, query: Query = {}): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
    }
    const search = params.toString();
    return `${this.apiBase}/api/v1${path}${search ? `?${search}` : ''}`;
  }

  /** Sends a request and answers the raw response when it is a 2xx; throws a problem otherwise. */
  async request(method: string, path: string, options: { query?: Query; body?: unknown; signal?: AbortSignal; accept?: string } = {}): Promise<Response> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.#token}`, Accept: options.accept ?? 'application/json' };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(this.url(path, options.query), {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
        // Embedding pages are other origins: never send their cookies to the BFF.
        credentials: 'omit',
      });
    } catch (error) {
      if (isAbortError(error)) throw error;
      throw new ProblemError(unreachableProblem(this.apiBase));
    }
    if (response.ok) return response;
    const problem = await problemOf(response);
    throw response.status === 401 ? new AuthExpiredError(problem) : new ProblemError(problem);
  }

  async getJson<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
    return (await (await this.request('GET', path, { query, signal })).json()) as T;
  }

  async sendJson<T>(method: 'POST' | 'PUT', path: string, body?: unknown, signal?: AbortSignal): Promise<T | undefined> {
    const response = await this.request(method, path, { body, signal });
    const text = await response.text();
    return text ? (JSON.parse(text) as T) : undefined;
  }

  me(signal?: AbortSignal): Promise<Me> {
    return this.getJson('/me', undefined, signal);
  }

  listDevices(query: DeviceQuery, signal?: AbortSignal): Promise<Page<DeviceItem>> {
    return this.getJson('/devices', { ...query }, signal);
  }

  device(id: string, signal?: AbortSignal): Promise<DeviceDetail> {
    return this.getJson(`/devices/${encodeURIComponent(id)}`, undefined, signal);
  }

  listClients(query: { limit?: number; cursor?: string | null } = {}, signal?: AbortSignal): Promise<Page<ClientItem>> {
    return this.getJson('/clients', { ...query }, signal);
  }

  /** Every client, following `nextCursor` (client lists are dozens, not thousands). */
  async allClients(signal?: AbortSignal): Promise<ClientItem[]> {
    const clients: ClientItem[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<ClientItem> = await this.listClients({ limit: 500, cursor }, signal);
      clients.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return clients;
  }

  client(id: string, signal?: AbortSignal): Promise<ClientItem> {
    return this.getJson(`/clients/${encodeURIComponent(id)}`, undefined, signal);
  }

  listAlerts(query: AlertQuery, signal?: AbortSignal): Promise<Page<AlertItem>> {
    return this.getJson('/alerts', { ...query }, signal);
  }

  async acknowledgeAlert(id: string): Promise<AlertItem> {
    return (await this.sendJson<AlertItem>('POST', `/alerts/${encodeURIComponent(id)}/acknowledge`))!;
  }

  compliance(clientId?: string, signal?: AbortSignal): Promise<ComplianceReport> {
    return this.getJson('/compliance', { client: clientId }, signal);
  }

  /** The QBR/audit report as a file (a link cannot carry the bearer, so fetch + Blob). */
  async exportCompliance(format: 'csv' | 'pdf', clientId?: string): Promise<DownloadedFile> {
    const response = await this.request('GET', '/compliance/export', {
      query: { format, client: clientId },
      accept: format === 'csv' ? 'text/csv' : 'application/pdf',
    });
    const fallback = `backup-compliance${clientId ? `-${clientId}` : ''}.${format}`;
    return { blob: await response.blob(), filename: filenameFrom(response.headers.get('content-disposition')) ?? fallback };
  }

  weeklyReport(signal?: AbortSignal): Promise<WeeklyReportJson> {
    return this.getJson('/reports/weekly', undefined, signal);
  }

  async sendWeeklyReport(): Promise<void> {
    await this.request('POST', '/reports/weekly/send');
  }

  settings<K extends SettingsSection>(section: K, signal?: AbortSignal): Promise<SettingsSections[K]> {
    return this.getJson(SETTINGS_PATHS[section], undefined, signal);
  }

  async saveSettings<K extends SettingsSection>(section: K, patch: SettingsPatch<K>): Promise<SettingsSections[K] | undefined> {
    return this.sendJson<SettingsSections[K]>('PUT', SETTINGS_PATHS[section], patch);
  }

  /**
   * Opens `GET /stream` (Server-Sent Events) with the bearer, which EventSource cannot
   * send. After a drop, `lastEventId` (the `id:` of the last event seen) asks the BFF to
   * replay what was missed; it travels as a query parameter because a `Last-Event-ID`
   * header would need the BFF's CORS allow-list.
   */
  openStream(signal: AbortSignal, lastEventId?: string | null): Promise<Response> {
    return this.request('GET', '/stream', { signal, accept: 'text/event-stream', query: { lastEventId } });
  }
}

/** `attachment; filename="report.csv"` → `report.csv` (RFC 6266, plain and `filename*`). */
export function filenameFrom(disposition: string | null): string | null {
  if (!disposition) return null;
  const extended = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(disposition);
  if (extended) {
    try {
      return decodeURIComponent(extended[1]!.trim().replace(/^"|"$/g, ''));
    } catch {
      // Malformed encoding: fall back to the plain parameter.
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(disposition);
  return plain ? (plain[2] ?? plain[1]!).trim() : null;
}

/**
 * The client for `apiBase` + `token`: `current` when it already points at that BFF (its
 * token is updated, so streams and waiting widgets carry on), else a new one.
 */
export function clientFor(current: ApiClient | undefined, apiBase: string | undefined, token: string | undefined): ApiClient | undefined {
  if (!token) return undefined;
  const base = (apiBase ?? '').replace(/\/+$/, '');
  if (current && current.apiBase === base) {
    current.token = token;
    return current;
  }
  return new ApiClient(base, token);
}
