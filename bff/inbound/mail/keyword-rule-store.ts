/**
 * A tenant's keyword rules, stored as one settings document. Read on every parse of
 * the tenant's mail (a point lookup); written by the settings route.
 */
import type { Database, SqlExecutor } from '../../db/client.ts';
import { unprocessable } from '../../http/problem.ts';
import { keywordRulesSchema, type KeywordRule } from './keyword-rule-schema.ts';

const KEY = 'ingest.keywordRules';

/** The tenant's rules in order; none when unset. */
export async function readKeywordRules(db: SqlExecutor, tenantId: string): Promise<KeywordRule[]> {
  const row = await db.get<{ value: string }>('SELECT value FROM settings WHERE tenant_id = ? AND key = ?', [tenantId, KEY]);
  if (!row) return [];
  // Stored rules were validated on write; a document that no longer reads is treated as no rules rather than failing every mail.
  const parsed = keywordRulesSchema.safeParse(JSON.parse(row.value));
  return parsed.success ? parsed.data : [];
}

/**
 * Validates and replaces the tenant's rules. Throws a 422 problem naming each bad
 * field (`0.match.subject`, …); nothing is stored then.
 */
export async function writeKeywordRules(db: Database, tenantId: string, rules: unknown, now: number): Promise<KeywordRule[]> {
  const parsed = keywordRulesSchema.safeParse(rules);
  if (!parsed.success) {
    throw unprocessable(
      'The keyword rules are not valid; nothing was saved.',
      parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || undefined, message: issue.message }) as { path?: string; message: string }),
    );
  }
  await db.run(
    'INSERT INTO settings (tenant_id, key, value, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (tenant_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    [tenantId, KEY, JSON.stringify(parsed.data), now],
  );
  return parsed.data;
}
