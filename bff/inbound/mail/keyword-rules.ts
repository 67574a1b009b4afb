/**
 * The tenant's keyword rules, tried in order for mail no product parser claimed. The
 * first rule whose patterns match the message takes it: failure keywords are looked
 * for first (in the subject and body, case-insensitive), then success keywords.
 */
import { htmlText } from './html-text.ts';
import { jobMessage } from './report-values.ts';
import type { KeywordRule } from './keyword-rule-schema.ts';
import type { InboundMessage, MailParser, ParseResult } from './types.ts';

/** The keyword-rule parser: claims a message when one of the tenant's rules matches it. */
export const keywordRuleParser: MailParser = {
  name: 'keyword-rule',
  parse(message, context) {
    for (const [index, rule] of context.keywordRules.entries()) {
      const groups = matchRule(rule, message);
      if (groups) return applyRule(rule, index, groups, message, context.receivedAt);
    }
    return null;
  },
};

// Patterns are the tenant's own; bounding their input bounds the time a careless
// (backtracking) pattern can take. Real subjects and addresses are far shorter.
const MAX_SUBJECT = 1_000;
const MAX_FROM = 320;

/** The groups of the rule's patterns when they all match the message, else null. */
function matchRule(rule: KeywordRule, message: InboundMessage): RegExpExecArray | null {
  const from = rule.match.from === undefined ? null : new RegExp(rule.match.from, 'i').exec(message.from.slice(0, MAX_FROM));
  if (rule.match.from !== undefined && from === null) return null;
  const subject = rule.match.subject === undefined ? null : new RegExp(rule.match.subject, 'i').exec(message.subject.slice(0, MAX_SUBJECT));
  if (rule.match.subject !== undefined && subject === null) return null;
  return subject ?? from;
}

function applyRule(rule: KeywordRule, index: number, groups: RegExpExecArray, message: InboundMessage, receivedAt: number): ParseResult {
  const label = rule.name ? `Keyword rule "${rule.name}"` : `Keyword rule #${index + 1}`;
  const device = expandDevice(rule.device, groups);
  if (device === '') return { kind: 'unreadable', reason: `${label} matched, but its device template "${rule.device}" gave an empty name; check the group it refers to.` };

  const haystack = `${message.subject}\n${message.text || htmlText(message.html)}`.toLowerCase();
  const failure = rule.failureKeywords.find((word) => haystack.includes(word.toLowerCase()));
  const success = failure === undefined ? rule.successKeywords.find((word) => haystack.includes(word.toLowerCase())) : undefined;
  if (failure === undefined && success === undefined) {
    return { kind: 'unreadable', reason: `${label} matched, but the message contains none of its failure keywords (${rule.failureKeywords.join(', ') || 'none'}) or success keywords (${rule.successKeywords.join(', ') || 'none'}).` };
  }
  const at = message.date ?? receivedAt;
  return {
    kind: 'jobs',
    jobs: [{
      device,
      status: failure !== undefined ? 'failed' : 'success',
      startedAt: at,
      endedAt: at,
      bytes: null,
      message: jobMessage(`${message.subject} (${label}: "${failure ?? success}")`),
    }],
  };
}

/** `$1`…`$9` and `$<name>` replaced by the match's groups (an absent group is empty). */
export function expandDevice(template: string, groups: RegExpExecArray): string {
  return template
    .replace(/\$<([A-Za-z_][A-Za-z0-9_]*)>/g, (_, name: string) => groups.groups?.[name] ?? '')
    .replace(/\$([1-9])/g, (_, n: string) => groups[Number(n)] ?? '')
    .trim();
}
