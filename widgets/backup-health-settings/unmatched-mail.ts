import { html, nothing, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { ApiElement } from '../shared/api-element.ts';
import { isBusy, renderEmpty } from '../shared/async-view.ts';
import { BhElement } from '../shared/base-element.ts';
import { formatDateTime } from '../shared/format.ts';
import { ViewTimeZoneController } from '../shared/view-time-zone.ts';
import { fieldErrors } from '../shared/quiet-api.ts';
import { renderTone } from '../shared/status.ts';
import { listMail, reparseMail, type MailItem } from './ingest-api.ts';
import { renderIngestAsync } from './ingest-access.ts';
import type { SectionMessage } from './settings-section.ts';
import { settingsStyles } from './styles.ts';

/**
 * Settings → Unmatched mail: report mail that yielded no result, with the reason (no
 * parser or rule claims it, a device nobody enrolled…). Re-parse reads a message again
 * with today's rules and devices, after adding a keyword rule or enrolling the device.
 *
 * @event bh-settings-save - A message was re-parsed: `{ section: 'unmatched-mail' }`.
 * @event bh-auth-expired - The token was refused (401).
 * @csspart base - The section.
 * @csspart list - The messages table.
 * @csspart reparse-button - Re-parse.
 * @cssproperty --bh-color-* - Theme colours and fonts (listed in `shared/theme.ts`).
 * @tag backup-health-unmatched-mail
 */
export class BackupHealthUnmatchedMail extends ApiElement {
  /** The tenant's timezone: every time here is stated in it. */
  #zone = new ViewTimeZoneController(this, () => this.api);
  static override styles = [BhElement.styles, settingsStyles];

  @state() protected busy = '';
  @state() protected message: SectionMessage | null = null;

  #mail = this.apiTask((api, signal) => listMail(api, 'unmatched', signal));

  /** Settles when the list has loaded. */
  get loadComplete(): Promise<unknown> {
    return this.#mail.taskComplete.catch(() => undefined);
  }

  protected override reload(): void {
    void this.#mail.run();
  }

  override render(): TemplateResult {
    return html`<section part="base" class="base" data-theme=${this.effectiveTheme} aria-labelledby="unmatched-heading" aria-busy=${isBusy(this.#mail) ? 'true' : 'false'}>
      <h2 id="unmatched-heading" part="heading">Unmatched mail</h2>
      <p class="muted hint">Report mail that recorded nothing, and why. Add a keyword rule or enrol the device, then re-parse.</p>
      ${renderIngestAsync(this.#mail, { loading: 'Loading unmatched mail…', retry: () => this.reload(), complete: (page) => this.#renderList(page.items) })}
      <p role="status" class="message">${this.message ? renderTone(this.message.tone, this.message.text) : nothing}</p>
    </section>`;
  }

  #renderList(items: MailItem[]): TemplateResult {
    if (items.length === 0) return renderEmpty('No unmatched mail.', 'Every report mail received was read into results.');
    return html`<div class="table-wrap"><table class="data" part="list">
      <thead>
        <tr><th scope="col">Subject</th><th scope="col">Sender</th><th scope="col">Received</th><th scope="col">Reason</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr>
      </thead>
      <tbody>
        ${items.map(
          (mail) => html`<tr data-mail=${mail.id}>
            <th scope="row" id="mail-${mail.id}">${mail.subject || '(no subject)'}</th>
            <td>${mail.from}</td>
            <td><time datetime=${mail.receivedAt}>${formatDateTime(mail.receivedAt, this.#zone.value)}</time></td>
            <td>${mail.reason ?? ''}</td>
            <td><button type="button" part="reparse-button" aria-describedby="mail-${mail.id}" ?disabled=${this.busy === mail.id} @click=${() => this.#reparse(mail)}>${this.busy === mail.id ? 'Re-parsing…' : 'Re-parse'}</button></td>
          </tr>`,
        )}
      </tbody>
    </table></div>`;
  }

  async #reparse(mail: MailItem): Promise<void> {
    const api = this.api;
    if (!api) return;
    this.busy = mail.id;
    try {
      const now = await reparseMail(api, mail.id);
      this.message =
        now.state === 'unmatched'
          ? { tone: 'critical', text: `“${mail.subject}” is still unmatched: ${now.reason ?? 'no parser or rule claims it'}.` }
          : { tone: 'healthy', text: `“${mail.subject}” re-parsed: ${now.jobs.length} ${now.jobs.length === 1 ? 'job' : 'jobs'} read.` };
      this.emit('bh-settings-save', { section: 'unmatched-mail' });
      await this.#mail.run();
    } catch (error) {
      this.handleError(error);
      this.message = { tone: 'critical', text: `Could not re-parse “${mail.subject}”. ${fieldErrors(error)[''] ?? ''}` };
    } finally {
      this.busy = '';
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'backup-health-unmatched-mail': BackupHealthUnmatchedMail;
  }
}
