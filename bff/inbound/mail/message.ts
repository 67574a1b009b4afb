/**
 * Reads a raw RFC 5322 message with mailparser into the normalised message the
 * parsers work on. Charsets (windows-1252, ISO-8859-1, …), quoted-printable and
 * base64 bodies, encoded-word headers and attachments are mailparser's work.
 */
import { simpleParser, type AddressObject } from 'mailparser';
import type { InboundMessage } from './types.ts';

/** Longest text or HTML body kept for parsing; a longer one is cut (reports are far smaller). */
const MAX_BODY_CHARS = 2_000_000;

/**
 * The message in `raw`. Never throws on a malformed message: what cannot be read is
 * empty (mailparser reads anything as at least headers and a body).
 */
export async function parseMessage(raw: Buffer): Promise<InboundMessage> {
  let parsed: Awaited<ReturnType<typeof simpleParser>>;
  try {
    parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
  } catch {
    return { from: '', to: [], subject: '', date: null, messageId: null, text: '', html: '', attachments: [] };
  }
  const date = parsed.date?.getTime();
  return {
    from: addresses(parsed.from)[0] ?? '',
    to: [...addresses(parsed.to), ...addresses(parsed.cc)],
    subject: (parsed.subject ?? '').trim(),
    date: date !== undefined && Number.isFinite(date) ? date : null,
    messageId: normaliseMessageId(parsed.messageId),
    text: (parsed.text ?? '').slice(0, MAX_BODY_CHARS),
    html: (typeof parsed.html === 'string' ? parsed.html : '').slice(0, MAX_BODY_CHARS),
    attachments: parsed.attachments.map((a) => ({
      filename: typeof a.filename === 'string' ? a.filename : null,
      // A part cut off inside its headers has no content type at all (mailparser gives false).
      contentType: typeof a.contentType === 'string' ? a.contentType.toLowerCase() : 'application/octet-stream',
      charset: charsetOf(a.headers.get('content-type')),
      content: Buffer.isBuffer(a.content) ? a.content : Buffer.alloc(0),
    })),
  };
}

/** `<abc@host>` → `abc@host`; empty → null. */
export function normaliseMessageId(value: string | undefined): string | null {
  const id = (value ?? '').trim().replace(/^<|>$/g, '').trim();
  return id === '' ? null : id.slice(0, 500);
}

function charsetOf(header: unknown): string | null {
  const charset = (header as { params?: Record<string, string> } | undefined)?.params?.charset;
  return typeof charset === 'string' && charset !== '' ? charset.toLowerCase() : null;
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const out: string[] = [];
  for (const object of field === undefined ? [] : Array.isArray(field) ? field : [field]) {
    for (const entry of object.value) {
      for (const member of entry.group ?? [entry]) if (member.address) out.push(member.address.toLowerCase());
    }
  }
  return out;
}
