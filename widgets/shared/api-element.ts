import type { PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { consume, ContextProvider } from '@lit/context';
import { Task, initialState } from '@lit/task';
import { clientFor, type ApiClient } from './api-client.ts';
import { AuthExpiredError } from './api-errors.ts';
import { BhElement } from './base-element.ts';
import { apiContext, themeContext } from './contexts.ts';

/**
 * Base of the widgets that talk to the API. The client comes from the element's own
 * `api-base` + `token`, or, without a token, from an enclosing
 * `<backup-health-provider>` through context. A 401 shows the "session expired" state
 * and dispatches `bh-auth-expired`; once the host sets a new `token` the widget reloads.
 */
export class ApiElement extends BhElement {
  /** Origin of the Backup Health BFF, e.g. `https://bff.example.com`. Empty: this page's origin. */
  @property({ attribute: 'api-base' }) apiBase?: string;

  /**
   * Bearer token: an embed token minted by your server (never an admin key in a page).
   * Setting it gives the widget its own client, whatever a provider offers.
   */
  @property() token?: string;

  @consume({ context: apiContext, subscribe: true })
  @state()
  protected providedClient?: ApiClient;

  /** True after a 401, until the token changes. */
  @state() protected authExpired = false;

  #ownClient?: ApiClient;
  #watchedClient?: ApiClient;
  #onTokenChange = () => {
    if (!this.authExpired) return;
    this.authExpired = false;
    this.reload();
  };

  /** The client in use, or undefined while the widget is not configured. */
  get api(): ApiClient | undefined {
    return this.token ? this.#ownClient : this.providedClient;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('apiBase') || changed.has('token')) this.#ownClient = clientFor(this.#ownClient, this.apiBase, this.token);
    this.#watch(this.api);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#watch(undefined);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#watch(this.api);
  }

  /** Fetches the widget's data again; subclasses run their tasks. */
  protected reload(): void {
    this.requestUpdate();
  }

  /**
   * Notes an API failure: a 401 marks the session expired and tells the host once
   * (`bh-auth-expired`). Controllers doing their own requests call it too.
   */
  handleError(error: unknown): void {
    if (!(error instanceof AuthExpiredError)) return;
    this.authExpired = true;
    if (this.api?.noteAuthExpired() ?? true) {
      this.emit('bh-auth-expired', { status: error.status, detail: error.problem.detail ?? null });
    }
  }

  /**
   * A @lit/task that loads with the current client: it reruns when the client or any of
   * `args()` changes, stays initial without a client, and reports 401s.
   */
  protected apiTask<R>(load: (client: ApiClient, signal: AbortSignal) => Promise<R | typeof initialState>, args: () => readonly unknown[] = () => []): Task<readonly unknown[], R> {
    return new Task<readonly unknown[], R>(this, {
      args: () => [this.api, ...args()],
      task: async ([client], { signal }) => (client ? load(client as ApiClient, signal) : initialState),
      onError: (error) => this.handleError(error),
    });
  }

  /**
   * Hands this element's client and theme to the elements it renders, so nested
   * widgets (the table's detail panel, the dashboard's tabs) need no attributes.
   */
  protected provideToChildren(): void {
    const apiProvider = new ContextProvider(this, { context: apiContext });
    const themeProvider = new ContextProvider(this, { context: themeContext });
    this.addController({
      hostUpdate: () => {
        apiProvider.setValue(this.api);
        themeProvider.setValue(this.effectiveTheme);
      },
    });
  }

  #watch(client: ApiClient | undefined): void {
    if (client === this.#watchedClient) return;
    this.#watchedClient?.removeEventListener('tokenchange', this.#onTokenChange);
    this.#watchedClient = client;
    client?.addEventListener('tokenchange', this.#onTokenChange);
  }
}
