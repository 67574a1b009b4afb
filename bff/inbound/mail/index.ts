/**
 * E-mail reports: the public entry of bff/inbound/mail. The SMTP listener hands
 * messages to the MailInbox, which stores them and records what the parsers read.
 */
export { MailInbox, toItem, type MailInboxDeps, type MailItem } from './inbox.ts';
export { startMailListener, MAX_MAIL_BYTES, type MailListener, type MailListenerOptions } from './listener.ts';
export { mailboxAddress, parseMailbox, tenantMailboxResolver, type Mailbox, type TenantForMailbox } from './mailbox.ts';
export { parseMessage } from './message.ts';
export { MAIL_PARSERS, parseReport, type Verdict } from './parsers.ts';
export { readKeywordRules, writeKeywordRules } from './keyword-rule-store.ts';
export { keywordRuleSchema, keywordRulesSchema, type KeywordRule } from './keyword-rule-schema.ts';
export { MAIL_RETENTION_MS, type MailState } from './mail-store.ts';
export type { InboundMessage, MailJob, ParseContext, ParseResult } from './types.ts';
export { startMailIngest, type RunningMailIngest } from './mail-ingest.ts';
