/**
 * Per-tenant keyword rules for mail no product parser knows: which messages a rule
 * takes (sender and/or subject pattern), which device they report on, and the words
 * that mean failure or success. Validated here, at the edge, so a stored rule always
 * compiles.
 */
import { z } from 'zod';

const pattern = z
  .string()
  .min(1)
  .max(200)
  .refine((source) => {
    try {
      new RegExp(source, 'i');
      return true;
    } catch {
      return false;
    }
  }, 'Must be a valid regular expression (JavaScript syntax), e.g. "^Backup of (\\S+)".');
const keywords = z.array(z.string().trim().min(1).max(100)).max(50);

/** One keyword rule as stored and as the settings route will accept it. */
export const keywordRuleSchema = z
  .object({
    /** Shown in the unmatched list and the settings; optional. */
    name: z.string().max(100).optional(),
    match: z
      .object({
        /** Case-insensitive pattern over the sender address. */
        from: pattern.optional(),
        /** Case-insensitive pattern over the subject; its groups feed `device`. */
        subject: pattern.optional(),
      })
      .refine((m) => m.from !== undefined || m.subject !== undefined, 'Give at least one of "from" and "subject".'),
    /**
     * The device: literal text with `$1`…`$9` or `$<name>` for groups of the subject
     * pattern (of the sender pattern when there is no subject pattern), e.g. `"$1"`.
     */
    device: z.string().trim().min(1).max(200),
    failureKeywords: keywords.default([]),
    successKeywords: keywords.default([]),
  })
  .refine((rule) => rule.failureKeywords.length + rule.successKeywords.length > 0, {
    message: 'Give at least one failure or success keyword.',
    path: ['failureKeywords'],
  });

/** A validated keyword rule. */
export type KeywordRule = z.infer<typeof keywordRuleSchema>;

/** A tenant's rule list, tried in order. */
export const keywordRulesSchema = z.array(keywordRuleSchema).max(100);
