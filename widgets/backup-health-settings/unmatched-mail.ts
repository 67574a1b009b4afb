import { html, nothing, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { msg, str } from '@lit/localize';
import { ApiElement } from '../shared/api-element.ts';
import { isBusy, renderEmpty } from '../shared/async-view.ts';
import { BhElement } from '../shared/base-element.ts';
import { formatCount, formatDateTime } from '../shared/format.ts';
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
      <h2 id="unmatched-heading" part="heading">${msg('Unmatched mail')}</h2>
      <p class="muted hint">${msg('Report mail that recorded nothing, and why. Add a keyword rule or enrol the device, then re-parse.')}</p>
      ${renderIngestAsync(this.#mail, { loading: msg('Loading unmatched mail…'), retry: () => this.reload(), complete: (page) => this.#renderList(page.items) })}
      <p role="status" class="message">${this.message ? renderTone(this.message.tone, this.message.text) : nothing}</p>
    </section>`;
  }

  #renderList(items: MailItem[]): TemplateResult {
    if (items.length === 0) return renderEmpty(msg('No unmatched mail.'), msg('Every report mail received was read into results.'));
    return html`<div class="table-wrap"><table class="data" part="list">
      <thead>
        <tr><th scope="col">${msg('Subject')}</th><th scope="col">${msg('Sender')}</th><th scope="col">${msg('Received')}</th><th scope="col">${msg('Reason')}</th><th scope="col"><span class="visually-hidden">${msg('Actions')}</span></th></tr>
      </thead>
      <tbody>
        ${items.map(
          (mail) => html`<tr data-mail=${mail.id}>
            <th scope="row" id="mail-${mail.id}">${mail.subject || msg('(no subject)')}</th>
            <td>${mail.from}</td>
            <td><time datetime=${mail.receivedAt}>${formatDateTime(mail.receivedAt, this.#zone.value)}</time></td>
            <td>${mail.reason ?? ''}</td>
            <td><button type="button" part="reparse-button" aria-describedby="mail-${mail.id}" ?disabled=${this.busy === mail.id} @click=${() => this.#reparse(mail)}>${this.busy === mail.id ? msg('Re-parsing…') : msg('Re-parse')}</button></td>
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
      const { subject } = mail;
      const reason = now.reason ?? msg('no parser or rule claims it');
      const jobs = formatCount(now.jobs.length);
      this.message =
        now.state === 'unmatched'
          ? { tone: 'critical', text: msg(str`“${subject}” is still unmatched: ${reason}.`) }
          : { tone: 'healthy', text: now.jobs.length === 1 ? msg(str`“${subject}” re-parsed: ${jobs} job read.`) : msg(str`“${subject}” re-parsed: ${jobs} jobs read.`) };
      this.emit('bh-settings-save', { section: 'unmatched-mail' });
      await this.#mail.run();
    } catch (error) {
      this.handleError(error);
      this.message = { tone: 'critical', text: `${msg(str`Could not re-parse “${mail.subject}”.`)} ${fieldErrors(error)[''] ?? ''}` };
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
