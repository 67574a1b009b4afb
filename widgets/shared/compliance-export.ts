import { html, nothing, type TemplateResult } from 'lit';
import { msg, str } from '@lit/localize';
import type { ApiClient } from './api-client.ts';
import { ProblemError } from './api-errors.ts';
import type { ApiElement } from './api-element.ts';
import type { CompliancePeriodQuery } from './events.ts';
import { lazyModule } from './lazy-module.ts';

const loadDownload = lazyModule(() => import('./compliance-download.ts')) as () => Promise<typeof import('./compliance-download.ts')>;

type Format = 'csv' | 'pdf';

/**
 * The "Export CSV / Export PDF" buttons of the compliance report. The file is fetched (by a
 * module loaded on first use) with the bearer (a plain link cannot carry it) and handed over as a Blob download,
 * announced by `bh-export`.
 */
export class ComplianceExportController {
  readonly #host: ApiElement;
  readonly #clientOf: () => ApiClient | undefined;
  #busy: Format | null = null;
  #error: string | null = null;

  constructor(host: ApiElement, clientOf: () => ApiClient | undefined) {
    this.#host = host;
    this.#clientOf = clientOf;
  }

  /** Downloads the report for `clientId` (every client when undefined): the state at now, or over `period`. */
  async export(format: Format, clientId?: string, period?: CompliancePeriodQuery): Promise<void> {
    const client = this.#clientOf();
    if (!client || this.#busy) return;
    this.#busy = format;
    this.#error = null;
    this.#host.requestUpdate();
    try {
      await (await loadDownload()).downloadCompliance(this.#host, client, format, clientId, period);
    } catch (error) {
      this.#error = error instanceof ProblemError ? `${error.problem.title}${error.problem.detail ? `: ${error.problem.detail}` : ''}` : msg('The export failed.');
      this.#host.handleError(error);
    } finally {
      this.#busy = null;
      this.#host.requestUpdate();
    }
  }

  /** The buttons; `caption` says what they export when the view shows more than one report. */
  render(clientId?: string, period?: CompliancePeriodQuery, caption?: string): TemplateResult {
    const button = (format: Format, label: string) =>
      html`<button type="button" part="export-button" ?disabled=${this.#busy !== null} aria-busy=${this.#busy === format ? 'true' : 'false'} @click=${() => this.export(format, clientId, period)}>
        ${this.#busy === format ? msg(str`Exporting ${label}…`) : msg(str`Export ${label}`)}
      </button>`;
    return html`<span class="export-buttons" part="export" role=${caption ? 'group' : nothing} aria-label=${caption ?? nothing}>
      ${caption ? html`<span class="muted" part="export-caption">${caption}</span>` : nothing} ${button('csv', 'CSV')} ${button('pdf', 'PDF')}
      <span role="status" class="export-error">${this.#error ? html`<span class="status" data-tone="critical">${this.#error}</span>` : nothing}</span>
    </span>`;
  }
}
