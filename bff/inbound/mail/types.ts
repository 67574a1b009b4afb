/**
 * The shapes that travel through mail ingestion: a normalised message, what a parser
 * makes of it, and the per-tenant context parsers read (time zone, keyword rules).
 */
import type { CompletedJobStatus } from '../../../core/types.ts';
import type { KeywordRule } from './keyword-rule-schema.ts';

/** One attachment of a message, decoded. */
export interface MailAttachment {
  filename: string | null;
  contentType: string;
  /** The charset parameter of its Content-Type (text attachments), lowercased. */
  charset: string | null;
  content: Buffer;
}

/** A message as mailparser reads it (charsets and transfer encodings applied). */
export interface InboundMessage {
  /** Sender address from the From header, lowercased; '' when absent. */
  from: string;
  /** Recipient addresses from the To and Cc headers, lowercased. */
  to: string[];
  subject: string;
  /** Date header (epoch ms), null when absent or unreadable. */
  date: number | null;
  /** Message-ID header without angle brackets, null when absent. */
  messageId: string | null;
  text: string;
  html: string;
  attachments: MailAttachment[];
}

/** One backup result read from a message; the device is named as the sender wrote it. */
export interface MailJob {
  /** The device as the report names it: an id, a name or a ping slug. */
  device: string;
  status: CompletedJobStatus;
  startedAt: number;
  endedAt: number;
  bytes: number | null;
  message: string | null;
}

/** A parser's verdict on a message it claims. */
export type ParseResult =
  /** `skipped`: parts of the report that could not be read (e.g. a CSV row), said for a person. */
  | { kind: 'jobs'; jobs: MailJob[]; skipped?: string[] }
  /** Claimed, but no job can be read: the reason says what to fix. */
  | { kind: 'unreadable'; reason: string };

/** What parsers may read besides the message. */
export interface ParseContext {
  /** IANA zone of the tenant: wall-clock times without an offset are read in it. */
  timeZone: string;
  keywordRules: readonly KeywordRule[];
  /** Used when a message carries no usable time at all. */
  receivedAt: number;
}

/** A mail report format: `parse` returns null when the message is not of this format. */
export interface MailParser {
  /** Stored with the message (`parser` column). */
  name: 'veeam' | 'csv-report' | 'duplicati' | 'keyword-rule';
  parse(message: InboundMessage, context: ParseContext): ParseResult | null;
}
