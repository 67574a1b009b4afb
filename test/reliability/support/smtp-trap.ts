/**
 * An SMTP receiver on loopback whose reply to a message can wait for the test: with
 * `holdNextReply(action)`, the next message is recorded, then `action` runs (e.g.
 * kill -9 the BFF) before the "250 OK" goes out — the crash window between the
 * receiver accepting a mail and the sender recording it as sent.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { parseMessage } from '../../../demo/standins/smtp-inbox.ts';

export interface TrappedMail {
  messageId: string | null;
  subject: string;
  to: string[];
}

export interface SmtpTrap {
  url: string;
  received: TrappedMail[];
  holdNextReply(action: () => Promise<void>): void;
  /** Resolves when `count` messages have arrived. */
  waitForCount(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startSmtpTrap(): Promise<SmtpTrap> {
  const received: TrappedMail[] = [];
  let hold: (() => Promise<void>) | null = null;
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth: (_auth, _session, callback) => callback(null, { user: 'trap' }),
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const parsed = parseMessage(Buffer.concat(chunks).toString('latin1'));
        received.push({ messageId: parsed.messageId, subject: parsed.subject, to: session.envelope.rcptTo.map((r) => r.address) });
        for (const waiter of waiters) waiter();
        const action = hold;
        hold = null;
        if (action) void action().finally(() => callback());
        else callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    holdNextReply(action) {
      hold = action;
    },
    waitForCount(count, timeoutMs = 15_000) {
      if (received.length >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`expected ${count} message(s) within ${timeoutMs} ms, got ${received.length}`));
        }, timeoutMs);
        const check = () => {
          if (received.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
