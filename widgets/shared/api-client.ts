import type { ComplianceReport, SlaPatch } from '../../core/api.ts';
import type { Api, Answer, BodyOf, QueryOf } from './api-types.ts';
import { AuthExpiredError, ProblemError, isAbortError, problemOf, unreachableProblem } from './api-errors.ts';
import { LiveStream } from './live-stream.ts';

// Parameters, bodies and answers are the route declarations' (see api-types.ts):
// each method below names its path, and the compiler holds it to the BFF's.
export type DeviceQuery = QueryOf<'/devices'>;
export type AlertQuery = QueryOf<'/alerts'>;
export type DeviceSort = NonNullable<DeviceQuery['sort']>;
export type SortOrder = NonNullable<DeviceQuery['order']>;
export type ExportFormat = NonNullable<QueryOf<'/compliance/export'>['format']>;

const SETTINGS_PATHS = {
  sla: '/settings/sla',
  reports: '/settings/reports',
  branding: '/settings/branding',
  alerts: '/settings/alerts',
  clientReports: '/settings/client-reports',
  psa: '/settings/integrations/psa',
  oncall: '/settings/integrations/oncall',
} as const satisfies Record<string, keyof Api>;
type SettingsPaths = typeof SETTINGS_PATHS;
export type SettingsSection = keyof SettingsPaths;
export type SettingsSections = { [K in SettingsSection]: Answer<SettingsPaths[K], '$get'> };
/**
 * `PUT` bodies carry only the fields they change. For SLA overrides `null` removes a
 * client's override (or one of its hours) so the tenant rule applies again.
 */
export type SettingsPatch<K extends SettingsSection> = K extends 'sla' ? SlaPatch : BodyOf<SettingsPaths[K], '$put'>;
export type SlaSettingsPatch = SettingsPatch<'sla'>;

/** Query parameters; null, undefined and '' are left out, lists are sent comma-separated. */
type Query = Record<string, unknown>;

/** `/devices/:id` with `{ id }` → `/devices/srv%2D1`. */
function fill(path: string, params: Record<string, string>): string {
  return path.replace(/:([A-Za-z]+)/g, (_, name: string) => encodeURIComponent(params[name]!));
}

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

  /** `GET path` (a declared path; `:name` segments filled from `params`) answering its declared JSON. */
  async getJson<P extends keyof Api>(path: P, options: { params?: Record<string, string>; query?: Query; signal?: AbortSignal } = {}): Promise<Answer<P, '$get'>> {
    return (await (await this.request('GET', fill(path, options.params ?? {}), { query: options.query, signal: options.signal })).json()) as Answer<P, '$get'>;
  }

  async sendJson<P extends keyof Api, M extends '$post' | '$put'>(method: M, path: P, options: { params?: Record<string, string>; body?: BodyOf<P, M>; signal?: AbortSignal } = {}): Promise<Answer<P, M> | undefined> {
    const response = await this.request(method === '$post' ? 'POST' : 'PUT', fill(path, options.params ?? {}), { body: options.body, signal: options.signal });
    const text = await response.text();
    return text ? (JSON.parse(text) as Answer<P, M>) : undefined;
  }

  me(signal?: AbortSignal) {
    return this.getJson('/me', { signal });
  }

  listDevices(query: DeviceQuery, signal?: AbortSignal) {
    return this.getJson('/devices', { query: { ...query }, signal });
  }

  device(id: string, signal?: AbortSignal) {
    return this.getJson('/devices/:id', { params: { id }, signal });
  }

  listClients(query: QueryOf<'/clients'> = {}, signal?: AbortSignal) {
    return this.getJson('/clients', { query: { ...query }, signal });
  }

  /** Every client, following `nextCursor` (client lists are dozens, not thousands). */
  async allClients(signal?: AbortSignal) {
    const clients: Answer<'/clients', '$get'>['items'] = [];
    let cursor: string | null = null;
    do {
      const page: Answer<'/clients', '$get'> = await this.listClients({ limit: 500, cursor }, signal);
      clients.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return clients;
  }

  client(id: string, signal?: AbortSignal) {
    return this.getJson('/clients/:id', { params: { id }, signal });
  }

  listAlerts(query: AlertQuery, signal?: AbortSignal) {
    return this.getJson('/alerts', { query: { ...query }, signal });
  }

  /** Records a backup result by hand for a device (operate scope); answers the job. */
  async recordManualResult(id: string, body: BodyOf<'/devices/:id/manual-result', '$post'>) {
    return (await this.sendJson('$post', '/devices/:id/manual-result', { params: { id }, body }))!;
  }

  /** The snapshot at now: asked without a period, `/compliance` answers nothing else. */
  compliance(clientId?: string, signal?: AbortSignal): Promise<ComplianceReport> {
    return this.getJson('/compliance', { query: { client: clientId }, signal }) as Promise<ComplianceReport>;
  }

  weeklyReport(signal?: AbortSignal) {
    return this.getJson('/reports/weekly', { signal });
  }

  async sendWeeklyReport(): Promise<void> {
    await this.sendJson('$post', '/reports/weekly/send');
  }

  // The compiler cannot follow a generic section through the path table, hence the annotations.
  settings<K extends SettingsSection>(section: K, signal?: AbortSignal): Promise<SettingsSections[K]> {
    return this.getJson(SETTINGS_PATHS[section], { signal }) as Promise<SettingsSections[K]>;
  }

  async saveSettings<K extends SettingsSection>(section: K, patch: SettingsPatch<K>): Promise<SettingsSections[K] | undefined> {
    return (await this.sendJson('$put', SETTINGS_PATHS[section], { body: patch as BodyOf<SettingsPaths[K], '$put'> })) as SettingsSections[K] | undefined;
  }

  /**
   * Opens `GET /stream` (Server-Sent Events) with the bearer, which EventSource cannot
   * send. After a drop, `lastEventId` (the `id:` of the last event seen) asks the BFF to
   * replay what was missed; it travels as a query parameter because a `Last-Event-ID`
   * header would need the BFF's CORS allow-list.
   */
  openStream(signal: AbortSignal, lastEventId?: string | null): Promise<Response> {
    return this.request('GET', '/stream' satisfies keyof Api, { signal, accept: 'text/event-stream', query: { lastEventId } });
  }
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
