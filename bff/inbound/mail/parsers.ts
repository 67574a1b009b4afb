/**
 * The parsers in the order they are tried: the first that claims a message decides
 * it. Product formats come first (their subjects are unambiguous), the tenant's own
 * keyword rules last.
 */
import { csvReportParser } from './csv-report.ts';
import { duplicatiParser } from './duplicati.ts';
import { keywordRuleParser } from './keyword-rules.ts';
import type { InboundMessage, MailParser, ParseContext, ParseResult } from './types.ts';
import { veeamParser } from './veeam.ts';

/** Every parser, in order. */
export const MAIL_PARSERS: readonly MailParser[] = [veeamParser, csvReportParser, duplicatiParser, keywordRuleParser];

/** What the parsers made of a message. */
export type Verdict =
  | { parser: MailParser['name']; result: ParseResult }
  | { parser: null; result: { kind: 'unreadable'; reason: string } };

/**
 * The first claiming parser's result, or an unclaimed verdict saying what would
 * make the message readable. A parser that throws is a bug, not the sender's fault:
 * the message is kept as unreadable with the error named, never lost.
 */
export function parseReport(message: InboundMessage, context: ParseContext): Verdict {
  for (const parser of MAIL_PARSERS) {
    let result: ParseResult | null;
    try {
      result = parser.parse(message, context);
    } catch (error) {
      return { parser: parser.name, result: { kind: 'unreadable', reason: `The ${parser.name} parser failed on this message (${String((error as Error)?.message ?? error)}); it is kept for a re-parse.` } };
    }
    if (result) return { parser: parser.name, result };
  }
  const subject = message.subject ? `"${message.subject.slice(0, 120)}"` : '(no subject)';
  return {
    parser: null,
    result: {
      kind: 'unreadable',
      reason: `No parser recognises the subject ${subject} from ${message.from || 'an unknown sender'}: it is not a Veeam, CSV report or Duplicati notification. Add a keyword rule that matches it, then re-parse.`,
    },
  };
}
