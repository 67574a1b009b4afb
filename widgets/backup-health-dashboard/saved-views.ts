import { css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { msg, str } from '@lit/localize';
import { BhElement } from '../shared/base-element.ts';
import { KIND_LABELS, STATUS_LABELS } from '../shared/labels.ts';
import { DEVICE_COLUMNS } from '../backup-health-table/columns.ts';
import { cleanName, MAX_NAME, namedLike, ownerOf, readViews, storageKeyOf, writeViews, type SavedView } from './saved-view-store.ts';
import { urlFor } from './view-state.ts';
import { DEFAULT_VIEW, sameView, TAB_LABELS, type DashboardView, type UrlStateMode } from './view.ts';

// The dashboard's "Saved views" panel: its own chunk, loaded when the panel first opens.

/**
 * Named views (tab, client, filters, sort, search) kept in this browser's localStorage,
 * one list per tenant and person of the token: save the view on screen under a name,
 * show a saved one, rename, delete, copy its link (when the dashboard keeps its view in
 * the URL). Escape asks the dashboard to close the panel.
 *
 * @fires saved-view-apply - Show this view: `detail` is the DashboardView.
 * @fires saved-views-close - Escape was pressed.
 */
export class BhSavedViews extends BhElement {
  static override styles = [
    BhElement.styles,
    css`
      .base {
        display: grid;
        gap: var(--_space);
        padding: var(--_space);
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        background: var(--_surface);
      }
      form {
        display: flex;
        flex-wrap: wrap;
        align-items: end;
        gap: var(--_space);
      }
      form .field {
        flex: 1 1 12rem;
        min-width: 0;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: calc(var(--_space) * 0.5);
      }
      li {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--_space);
        padding: calc(var(--_space) * 0.5) 0;
        border-top: 1px solid var(--_border);
      }
      li > .name {
        flex: 1 1 14rem;
        min-width: 0;
        overflow-wrap: anywhere;
      }
      .summary {
        display: block;
        font-size: 0.85em;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: calc(var(--_space) * 0.5);
      }
      .error {
        color: var(--_critical);
        margin: 0;
      }
      p {
        margin: 0;
      }
      input[readonly] {
        width: 100%;
      }
    `,
  ];

  /** The view on screen: what "Save" names. */
  @property({ attribute: false }) view: DashboardView = { ...DEFAULT_VIEW };

  /** The token in use: its tenant and person choose the list (not stored). */
  @property({ attribute: false }) token?: string;

  /** The tenant `/me` answered, for tokens that do not say (API keys). */
  @property({ attribute: false }) tenant?: string;

  /** Client names by id, for the summaries. */
  @property({ attribute: false }) clientNames: ReadonlyMap<string, string> = new Map();

  /** The dashboard's `url-state`: links are offered only when a link can reopen a view. */
  @property({ attribute: false }) linkMode: UrlStateMode = 'off';

  @state() private views: SavedView[] = [];
  @state() private saveError = '';
  @state() private renaming?: string;
  @state() private renameError = '';
  @state() private announcement = '';
  /** A link the clipboard refused, shown to copy by hand. */
  @state() private manualLink?: { id: string; url: string };
  /** localStorage refused (disabled, full): views last as long as the page. */
  @state() private unstored = false;

  #key = '';
  #onStorage = (event: StorageEvent): void => {
    if (event.key === this.#key) this.#read();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    // Another tab of the same person saved or deleted a view.
    window.addEventListener('storage', this.#onStorage);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('storage', this.#onStorage);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const key = storageKeyOf(ownerOf(this.token, this.tenant));
    if (key !== this.#key) {
      this.#key = key;
      this.#read();
    }
  }

  override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLInputElement>('#view-name')?.focus();
  }

  #read(): void {
    try {
      this.views = readViews(localStorage, this.#key);
    } catch {
      this.unstored = true;
    }
  }

  #store(views: SavedView[], announcement: string): void {
    this.views = views;
    this.announcement = announcement;
    try {
      writeViews(localStorage, this.#key, views);
      this.unstored = false;
    } catch {
      this.unstored = true;
    }
  }

  override render(): TemplateResult {
    return html`<div class="base" part="saved-views-panel" data-theme=${this.effectiveTheme} @keydown=${this.#onKeydown}>
      <form @submit=${this.#save}>
        <label class="field">
          <span>${msg('Name for the view on screen')}</span>
          <input
            id="view-name"
            name="name"
            part="saved-view-name"
            required
            maxlength=${MAX_NAME}
            autocomplete="off"
            aria-invalid=${this.saveError ? 'true' : 'false'}
            aria-describedby="current-view ${this.saveError ? 'save-error' : ''}"
          />
        </label>
        <button type="submit" class="primary" part="saved-view-save">${msg('Save view')}</button>
      </form>
      <p id="current-view" class="muted">${msg(str`On screen: ${this.#describe(this.view)}`)}</p>
      ${this.saveError ? html`<p id="save-error" class="error">${this.saveError}</p>` : nothing}
      ${this.unstored ? html`<p class="muted">${msg('This browser does not keep saved views: they last until the page closes.')}</p>` : nothing}
      ${this.views.length
        ? html`<ul part="saved-view-list" aria-label=${msg('Saved views')}>
            ${this.views.map((saved) => this.#renderView(saved))}
          </ul>`
        : html`<p class="muted">${msg('No saved views yet. Set filters, sort or search, then name the view to come back to it.')}</p>`}
      <div class="visually-hidden" role="status" aria-live="polite">${this.announcement}</div>
    </div>`;
  }

  #renderView(saved: SavedView): TemplateResult {
    const shown = sameView(saved.view, this.view);
    const of = html`<span class="visually-hidden"> ${saved.name}</span>`;
    if (this.renaming === saved.id) {
      return html`<li part="saved-view">
        <form class="name" @submit=${(event: SubmitEvent) => this.#rename(event, saved)}>
          <label class="field">
            <span>${msg(str`New name for ${saved.name}`)}</span>
            <input
              id="rename-${saved.id}"
              name="name"
              required
              maxlength=${MAX_NAME}
              autocomplete="off"
              .value=${saved.name}
              aria-invalid=${this.renameError ? 'true' : 'false'}
              aria-describedby=${this.renameError ? 'rename-error' : nothing}
            />
          </label>
          <span class="actions">
            <button type="submit" class="primary">${msg('Save name')}</button>
            <button type="button" @click=${() => this.#endRename(saved.id)}>${msg('Cancel')}</button>
          </span>
          ${this.renameError ? html`<p id="rename-error" class="error">${this.renameError}</p>` : nothing}
        </form>
      </li>`;
    }
    return html`<li part="saved-view" data-view=${saved.id}>
      <span class="name">
        <button type="button" class="link" part="saved-view-apply" aria-current=${shown ? 'true' : nothing} aria-describedby="summary-${saved.id}" @click=${() => this.#apply(saved)}>
          ${saved.name}
        </button>
        ${shown ? html`<span class="muted">${msg('(on screen)')}</span>` : nothing}
        <span class="summary muted" id="summary-${saved.id}">${this.#describe(saved.view)}</span>
      </span>
      <span class="actions">
        ${this.linkMode === 'off' ? nothing : html`<button type="button" part="saved-view-link" @click=${() => void this.#copyLink(saved)}>${msg('Copy link')}${of}</button>`}
        <button type="button" part="saved-view-rename" data-action="rename" @click=${() => this.#startRename(saved.id)}>${msg('Rename')}${of}</button>
        <button type="button" part="saved-view-delete" @click=${() => this.#delete(saved)}>${msg('Delete')}${of}</button>
      </span>
      ${this.manualLink?.id === saved.id
        ? html`<label class="field" style="flex-basis:100%"
            ><span>${msg(str`Link to ${saved.name} (the clipboard was not available: copy it from here)`)}</span
            ><input readonly .value=${this.manualLink.url} @focus=${(event: FocusEvent) => (event.target as HTMLInputElement).select()}
          /></label>`
        : nothing}
    </li>`;
  }

  /** "Devices · Critical · Server · “exch” · sorted by Name, descending": what a view shows, in words. */
  #describe(view: DashboardView): string {
    const client = view.client || view.clientFilter;
    const parts = [
      TAB_LABELS[view.tab],
      client ? (this.clientNames.get(client) ?? client) : msg('all clients'),
      view.status ? STATUS_LABELS[view.status] : '',
      view.kind ? KIND_LABELS[view.kind] : '',
      view.q ? `“${view.q}”` : '',
    ];
    if (view.sort !== DEFAULT_VIEW.sort || view.order !== DEFAULT_VIEW.order) {
      const column = DEVICE_COLUMNS.find((candidate) => candidate.id === view.sort)?.label ?? view.sort;
      parts.push(view.order === 'asc' ? msg(str`sorted by ${column}, ascending`) : msg(str`sorted by ${column}, descending`));
    }
    return parts.filter(Boolean).join(' · ');
  }

  #save(event: SubmitEvent): void {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('name') as HTMLInputElement;
    const name = cleanName(input.value);
    if (!name) {
      this.saveError = msg('Give the view a name.');
    } else if (namedLike(this.views, name)) {
      this.saveError = msg(str`A view named “${name}” exists already: choose another name, or rename or delete that view.`);
    } else {
      this.saveError = '';
      input.value = '';
      this.#store([...this.views, { id: crypto.randomUUID(), name, view: { ...this.view } }], msg(str`Saved view ${name}.`));
      return;
    }
    input.focus();
  }

  #apply(saved: SavedView): void {
    this.announcement = msg(str`Showing ${saved.name}.`);
    this.dispatchEvent(new CustomEvent('saved-view-apply', { detail: { ...saved.view } }));
  }

  async #startRename(id: string): Promise<void> {
    this.renaming = id;
    this.renameError = '';
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>(`#rename-${CSS.escape(id)}`)?.select();
  }

  async #endRename(id: string): Promise<void> {
    this.renaming = undefined;
    this.renameError = '';
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`[data-view="${CSS.escape(id)}"] [data-action="rename"]`)?.focus();
  }

  #rename(event: SubmitEvent, saved: SavedView): void {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('name') as HTMLInputElement;
    const name = cleanName(input.value);
    this.renameError = !name ? msg('Give the view a name.') : namedLike(this.views, name, saved.id) ? msg(str`A view named “${name}” exists already.`) : '';
    if (this.renameError) {
      input.focus();
      return;
    }
    this.#store(
      this.views.map((view) => (view.id === saved.id ? { ...view, name } : view)),
      msg(str`Renamed ${saved.name} to ${name}.`),
    );
    void this.#endRename(saved.id);
  }

  async #delete(saved: SavedView): Promise<void> {
    const index = this.views.indexOf(saved);
    this.#store(
      this.views.filter((view) => view.id !== saved.id),
      msg(str`Deleted view ${saved.name}.`),
    );
    // Focus stays in the list: on the next view's name, else the name field.
    await this.updateComplete;
    const names = [...this.renderRoot.querySelectorAll<HTMLElement>('[part~="saved-view-apply"]')];
    (names[Math.min(index, names.length - 1)] ?? this.renderRoot.querySelector<HTMLElement>('#view-name'))?.focus();
  }

  /** The absolute link that opens `saved` in this console. */
  linkTo(saved: SavedView): string {
    if (this.linkMode === 'off') return '';
    return new URL(urlFor(saved.view, window.location, this.linkMode), window.location.href).href;
  }

  async #copyLink(saved: SavedView): Promise<void> {
    const url = this.linkTo(saved);
    try {
      await navigator.clipboard.writeText(url);
      this.manualLink = undefined;
      this.announcement = msg(str`Link to ${saved.name} copied.`);
    } catch {
      this.manualLink = { id: saved.id, url };
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>('input[readonly]')?.focus();
    }
  }

  #onKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    if (this.renaming) void this.#endRename(this.renaming);
    else this.dispatchEvent(new CustomEvent('saved-views-close'));
  }
}

BhSavedViews.define('bh-saved-views');

declare global {
  interface HTMLElementTagNameMap {
    'bh-saved-views': BhSavedViews;
  }
}
