/**
 * Sending e-mail: a nodemailer SMTP transport from SMTP_URL, behind a small port so
 * the rest of the code (and tests) need not know nodemailer.
 */
import { createTransport } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { DeliveryOutcome } from '../outbox/delivery.ts';

export interface MailMessage {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Stable per outbox item, so a resend after a crash can be recognised by the receiver. */
  messageId: string;
  attachments?: { filename: string; content: Buffer; contentType: string }[];
}

export interface MailTransport {
  /** Resolves with the recipients the server accepted and rejected; throws on failure. */
  send(message: MailMessage): Promise<{ accepted: string[]; rejected: string[]; response: string }>;
  close(): void;
}

/**
 * An SMTP transport for `smtp://` or `smtps://` URLs (user and password in the URL,
 * nodemailer options as query parameters, e.g. `?ignoreTLS=true`). Time limits are
 * short so a dead server does not hold the dispatcher.
 */
export function smtpTransport(url: string): MailTransport {
  const options: SMTPTransport.Options = { url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };
  const transporter = createTransport(options);
  const addresses = (list: (string | { address: string })[] | undefined) => (list ?? []).map((entry) => (typeof entry === 'string' ? entry : entry.address));
  return {
    async send(message) {
      const info = await transporter.sendMail({ ...message, to: message.to.join(', ') });
      return { accepted: addresses(info.accepted), rejected: addresses(info.rejected), response: String(info.response ?? '') };
    },
    close() {
      transporter.close();
    },
  };
}

/**
 * An SMTP failure as an outbox outcome: a 5xx reply (mailbox unknown, message
 * refused, authentication rejected) is permanent; connection problems and 4xx
 * replies are retried.
 */
export function smtpFailure(error: unknown): Extract<DeliveryOutcome, { kind: 'retry' | 'failed' }> {
  const e = error as { code?: string; responseCode?: number; response?: string; message?: string; permanent?: boolean };
  const detail = [e.code, e.responseCode, e.response ?? e.message].filter((part) => part !== undefined && part !== '').join(' ');
  const message = `SMTP delivery failed: ${detail || String(error)}`.slice(0, 600);
  const permanent = e.permanent === true || (typeof e.responseCode === 'number' && e.responseCode >= 500);
  return permanent ? { kind: 'failed', error: message } : { kind: 'retry', error: message };
}
