import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ApiClient } from './api-client.ts';

interface Zones {
  token: string;
  /** `''`: the credential's own (`GET /me`); else a client id (`GET /clients/:id`). */
  byScope: Map<string, Promise<string>>;
}

// One lookup per client, token and scope, whatever the number of widgets on the page.
const cache = new WeakMap<ApiClient, Zones>();

/**
 * The timezone a view states its times in: a client's (`clientId`), else the
 * credential's (`/me`: its client's for a client-scoped token, else the tenant's).
 */
export function viewTimeZone(api: ApiClient, clientId?: string): Promise<string> {
  let zones = cache.get(api);
  if (!zones || zones.token !== api.token) cache.set(api, (zones = { token: api.token, byScope: new Map() }));
  const scope = clientId ?? '';
  let zone = zones.byScope.get(scope);
  if (!zone) {
    zone = (clientId ? api.client(clientId).then((client) => client.timezone) : api.me().then((me) => me.timezone)).catch((error: unknown) => {
      zones.byScope.delete(scope);
      throw error;
    });
    zones.byScope.set(scope, zone);
  }
  return zone;
}

/**
 * Gives a widget the timezone its times are stated in — the tenant's, or the client's in
 * a client view (`clientId()` set) — and re-renders it once known. Until then `value` is
 * undefined and times show in the viewer's zone, still labelled.
 */
export class ViewTimeZoneController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #api: () => ApiClient | undefined;
  readonly #clientId: () => string | undefined;
  #asked?: string;
  /** The IANA zone, once known. */
  value?: string;

  constructor(host: ReactiveControllerHost, api: () => ApiClient | undefined, clientId: () => string | undefined = () => undefined) {
    this.#host = host;
    this.#api = api;
    this.#clientId = clientId;
    host.addController(this);
  }

  hostUpdate(): void {
    const api = this.#api();
    if (!api) return;
    const clientId = this.#clientId() || undefined;
    const asked = `${api.apiBase}|${api.token}|${clientId ?? ''}`;
    if (asked === this.#asked) return;
    this.#asked = asked;
    viewTimeZone(api, clientId).then(
      (zone) => {
        if (this.#asked !== asked || zone === this.value) return;
        this.value = zone;
        this.#host.requestUpdate();
      },
      // The view's own requests report the failure; its times stay in the viewer's zone.
      () => undefined,
    );
  }
}
