/**
 * An SMTP inbox on loopback (smtp-server): accepts every message (no TLS, AUTH
 * optional), keeps the raw message and a simple parse of it (subject, text and HTML
 * parts). Used by the tests and the demo. mailparser is not a dependency: the MIME
 * reading here covers what nodemailer produces (multipart, quoted-printable, base64,
 * RFC 2047 subjects).
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  receivedAt: string;
  /** Envelope sender and recipients. */
  from: string;
  to: string[];
  subject: string;
  messageId: string | null;
  headers: Record<string, string>;
  text: string | null;
  html: string | null;
  /** Parts sent as attachments (e.g. a client report's PDF). */
  attachments: { filename: string | null; contentType: string; content: Buffer }[];
  raw: string;
}

export interface SmtpInbox {
  url: string;
  port: number;
  received: ReceivedMail[];
  /** The next `count` messages are refused with this SMTP reply (e.g. 451 temporary, 550 permanent). */
  failNext(count: number, reply: { responseCode: number; message?: string }): void;
  /** Resolves with the first message (already received or future) that matches. */
  waitFor(predicate?: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

export async function startSmtpInbox(options: { port?: number; host?: string } = {}): Promise<SmtpInbox> {
  const host = options.host ?? '127.0.0.1';
  const received: ReceivedMail[] = [];
  const faults: { responseCode: number; message?: string }[] = [];
  const waiters = new Set<{ predicate: (mail: ReceivedMail) => boolean; resolve: (mail: ReceivedMail) => void }>();

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth: (_auth, _session, callback) => callback(null, { user: 'inbox' }),
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const fault = faults.shift();
        if (fault) {
          const error = Object.assign(new Error(fault.message ?? `Simulated SMTP failure ${fault.responseCode}`), { responseCode: fault.responseCode });
          return callback(error);
        }
        const raw = Buffer.concat(chunks).toString('latin1');
        const mail = {
          receivedAt: new Date().toISOString(),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          ...parseMessage(raw),
          raw: Buffer.from(raw, 'latin1').toString('utf8'),
        };
        received.push(mail);
        for (const waiter of waiters) {
          if (waiter.predicate(mail)) {
            waiters.delete(waiter);
            waiter.resolve(mail);
          }
        }
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://${host}:${port}`,
    port,
    received,
    failNext(count, reply) {
      for (let i = 0; i < count; i++) faults.push(reply);
    },
    waitFor(predicate = () => true, timeoutMs = 5_000) {
      const found = received.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = { predicate, resolve: (mail: ReceivedMail) => (clearTimeout(timer), resolve(mail)) };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`No matching message within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// ----------------------------------------------------------------- MIME reading

interface Part {
  headers: Record<string, string>;
  body: string;
}

/** Splits a message (or part), in latin1 so bytes survive, into unfolded headers and body. */
function splitPart(raw: string): Part {
  const end = raw.search(/\r?\n\r?\n/);
  const head = end < 0 ? raw : raw.slice(0, end);
  const body = end < 0 ? '' : raw.slice(end).replace(/^\r?\n\r?\n/, '');
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body };
}

function parameter(header: string, name: string): string | null {
  const match = new RegExp(`${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(header);
  return match ? (match[1] ?? match[2] ?? null) : null;
}

/** The body of a single part as text (transfer encoding and charset applied). */
function decodeBody(part: Part): string {
  const encoding = (part.headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  let bytes: Buffer;
  if (encoding === 'base64') bytes = Buffer.from(part.body.replace(/\s+/g, ''), 'base64');
  else if (encoding === 'quoted-printable') {
    const unfolded = part.body.replace(/=\r?\n/g, '');
    bytes = Buffer.from(unfolded.replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
  } else bytes = Buffer.from(part.body, 'latin1');
  const charset = (parameter(part.headers['content-type'] ?? '', 'charset') ?? 'utf-8').toLowerCase();
  return bytes.toString(charset === 'us-ascii' || charset === 'iso-8859-1' || charset === 'latin1' ? 'latin1' : 'utf8');
}

/** RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?UTF-8?Q?…?=`), in a header value read as latin1. */
function decodeWords(value: string): string {
  const decoded = value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, _charset: string, kind: string, text: string) => {
      const bytes =
        kind.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
      return bytes.toString('latin1');
    });
  return Buffer.from(decoded, 'latin1').toString('utf8');
}

type Found = { text: string | null; html: string | null; attachments: ReceivedMail['attachments'] };

function collectParts(part: Part, found: Found): void {
  const type = (part.headers['content-type'] ?? 'text/plain').toLowerCase();
  const disposition = part.headers['content-disposition'] ?? '';
  if (/^attachment/i.test(disposition)) {
    const encoding = (part.headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
    const content = encoding === 'base64' ? Buffer.from(part.body.replace(/\s+/g, ''), 'base64') : Buffer.from(part.body, 'latin1');
    found.attachments.push({ filename: parameter(disposition, 'filename') ?? parameter(part.headers['content-type'] ?? '', 'name'), contentType: type.split(';')[0]!.trim(), content });
    return;
  }
  if (type.startsWith('multipart/')) {
    const boundary = parameter(part.headers['content-type'] ?? '', 'boundary');
    if (!boundary) return;
    const sections = part.body.split(new RegExp(`\\r?\\n?--${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:--)?[ \\t]*\\r?\\n?`));
    for (const section of sections.slice(1)) if (section.trim()) collectParts(splitPart(section), found);
  } else if (type.startsWith('text/html')) found.html ??= decodeBody(part);
  else if (type.startsWith('text/plain')) found.text ??= decodeBody(part);
}

/** Subject, headers, text and HTML of a raw message (read as latin1). */
export function parseMessage(raw: string): Omit<ReceivedMail, 'receivedAt' | 'from' | 'to' | 'raw'> {
  const top = splitPart(raw);
  const found: Found = { text: null, html: null, attachments: [] };
  collectParts(top, found);
  const headers = Object.fromEntries(Object.entries(top.headers).map(([name, value]) => [name, decodeWords(value)]));
  return { subject: headers.subject ?? '', messageId: headers['message-id'] ?? null, headers, text: found.text, html: found.html, attachments: found.attachments };
}
