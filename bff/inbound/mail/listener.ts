/**
 * The SMTP listener for e-mail reports (smtp-server). Plain SMTP without STARTTLS
 * or AUTH (backup products send from inside the network or through a relay; the
 * recipient's mailbox key is the credential). A recipient that names no tenant is
 * refused at RCPT TO (550); a message over the size limit is refused with 552 and
 * nothing stored; a failure while storing answers 451 so the sender retries.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { log } from '../../log.ts';
import type { MailInbox } from './inbox.ts';

/** Largest message accepted (10 MB). */
export const MAX_MAIL_BYTES = 10 * 1024 * 1024;

export interface MailListenerOptions {
  inbox: MailInbox;
  port: number;
  host?: string;
  maxBytes?: number;
}

export interface MailListener {
  port: number;
  close(): Promise<void>;
}

const smtpError = (responseCode: number, message: string) => Object.assign(new Error(message), { responseCode });

/** Starts listening; resolves once the port is bound. */
export async function startMailListener(options: MailListenerOptions): Promise<MailListener> {
  const { inbox } = options;
  const maxBytes = options.maxBytes ?? MAX_MAIL_BYTES;
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    size: maxBytes,
    logger: false,
    banner: 'Backup Health mail ingest',
    onRcptTo(address, _session, callback) {
      inbox.tenantOf(address.address).then(
        (found) => callback(found ? undefined : smtpError(550, `No mailbox ${address.address}: use the address shown in Settings → Ingest.`)),
        (error) => callback(smtpError(451, `Temporary failure looking up ${address.address}: ${String(error)}`)),
      );
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        // Past the limit the rest is read and dropped: smtp-server refuses the message at its end.
        if (size <= maxBytes) chunks.push(chunk);
      });
      stream.on('end', () => {
        if (stream.sizeExceeded || size > maxBytes) {
          return callback(smtpError(552, `Message too large: ${size} bytes; at most ${maxBytes} are accepted.`));
        }
        const recipients = session.envelope.rcptTo.map((rcpt) => rcpt.address);
        inbox.deliver(Buffer.concat(chunks), recipients).then(
          () => callback(),
          (error) => {
            log.error('mail ingest failed', { error: String((error as Error)?.stack ?? error) });
            callback(smtpError(451, 'Temporary failure storing the message; try again later.'));
          },
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  server.on('error', (error) => log.warn('mail listener error', { error: String(error) }));
  const { port } = server.server.address() as AddressInfo;
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
