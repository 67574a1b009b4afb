/**
 * Report mail (docs/ingest-mail.md): what was received, what each message yielded, and the tenant's
 * keyword rules for mail no product parser knows.
 */
import { isoTime, page, z } from './common.ts';

export const MAIL_STATES = ['parsed', 'unmatched', 'duplicate'] as const;

export const MailItemSchema = z
  .object({
    id: z.string(),
    messageId: z.string().nullable(),
    from: z.string(),
    subject: z.string(),
    receivedAt: isoTime,
    state: z.enum(MAIL_STATES).openapi({ description: '`unmatched`: nothing recorded, `reason` says why (the list a person works through).' }),
    parser: z.string().nullable(),
    reason: z.string().nullable(),
    clientId: z.string().nullable(),
    jobs: z.array(
      z.object({
        device: z.string(),
        deviceId: z.string().nullable(),
        jobId: z.string(),
        status: z.string(),
        startedAt: isoTime,
        endedAt: isoTime,
        bytes: z.number().nullable(),
        message: z.string().nullable(),
        problem: z.string().nullable().openapi({ description: 'Why this job was not recorded (e.g. no enrolled device of that name).' }),
      }),
    ),
  })
  .openapi('MailItem');

export const MailPageSchema = page(MailItemSchema).openapi('MailPage');

/** One keyword rule (validated in full by the mail path; see docs/ingest-mail.md). */
export const KeywordRuleSchema = z
  .object({
    name: z.string().optional(),
    match: z.object({ from: z.string().optional(), subject: z.string().optional() }),
    device: z.string(),
    failureKeywords: z.array(z.string()).optional(),
    successKeywords: z.array(z.string()).optional(),
  })
  .openapi('KeywordRule');

export const KeywordRulesSchema = z.array(KeywordRuleSchema).openapi('KeywordRules');

export const MailPreviewBodySchema = z.object({ rules: KeywordRulesSchema }).openapi('MailPreviewBody');

/** Settings → Ingest: how real tools reach the tenant (`GET /settings/ingest`). */
export const IngestSettingsSchema = z
  .object({
    pingKey: z.string().openapi({ description: 'The credential of the ping URLs; it can report results and nothing else.', example: '5f0c9b2ad1e84c7fa3b6e2d9c0a1f4e7' }),
    pingUrlBase: z.string().openapi({ description: 'A device pings `{pingUrlBase}/{pingSlug}`.', example: 'https://backup-health.example/ping/5f0c9b2ad1e84c7fa3b6e2d9c0a1f4e7' }),
    mailAddress: z.string().openapi({ description: 'Where backup tools send their report mail (`{pingKey}+{clientId}@…` files it under a client).' }),
    keywordRules: KeywordRulesSchema,
  })
  .openapi('IngestSettings');

/** What rules would make of a message: the parser that claims it and the jobs, or why none. */
export const MailPreviewSchema = z
  .object({
    parser: z.string().nullable(),
    kind: z.enum(['jobs', 'unreadable']),
    reason: z.string().nullable(),
    jobs: z.array(z.object({ device: z.string(), status: z.string(), startedAt: isoTime, endedAt: isoTime, bytes: z.number().nullable(), message: z.string().nullable() })),
    skipped: z.array(z.string()),
  })
  .openapi('MailPreview');
