/**
 * `/mail` (scope admin): the report mail the tenant received — the unmatched list a
 * person works through, re-reading a message after a rule was added or a device
 * enrolled, and trying keyword rules against a stored message before saving them.
 * `PUT /settings/ingest/keyword-rules` saves the rules (mounted under /settings).
 */
import { z } from '@hono/zod-openapi';
import { KeywordRulesSchema, MAIL_STATES, MailItemSchema, MailPageSchema, MailPreviewBodySchema, MailPreviewSchema } from '../../contract/mail.ts';
import type { AppDeps } from '../context.ts';
import { tenantOf } from '../http/auth.ts';
import { cursorParam, idParam, limitParam } from '../http/params.ts';
import { apiRoute, json, router } from '../http/route.ts';
import { keywordRulesSchema } from '../inbound/mail/keyword-rule-schema.ts';
import { writeKeywordRules } from '../inbound/mail/keyword-rule-store.ts';
import type { Verdict } from '../inbound/mail/parsers.ts';
import { unprocessable } from '../http/problem.ts';
import type { Services } from '../services/index.ts';

const listQuery = z.object({
  state: z.enum(MAIL_STATES, { error: `state must be one of ${MAIL_STATES.join(', ')}` }).optional(),
  limit: limitParam(50),
  cursor: cursorParam,
});

export const listMailRoute = apiRoute('admin', [400, 422], {
  method: 'get',
  path: '/',
  summary: 'Received report mail, newest first; `state=unmatched` lists what yielded nothing, with the reason.',
  request: { query: listQuery },
  responses: { 200: json('A page of messages.', MailPageSchema) },
});

export const reparseMailRoute = apiRoute('admin', [404, 422], {
  method: 'post',
  path: '/{id}/reparse',
  summary: 'Read a stored message again with the current keyword rules and devices; results recorded before are not added twice.',
  request: { params: idParam },
  responses: { 200: json('The message with what it yields now.', MailItemSchema) },
});

export const previewMailRoute = apiRoute('admin', [400, 404, 415, 422], {
  method: 'post',
  path: '/{id}/preview',
  summary: 'What the given keyword rules would make of a stored message; nothing is recorded.',
  request: { params: idParam, body: { required: true, content: { 'application/json': { schema: MailPreviewBodySchema } } } },
  responses: { 200: json('The verdict.', MailPreviewSchema) },
});

export const putKeywordRulesRoute = apiRoute('admin', [400, 415, 422], {
  method: 'put',
  path: '/ingest/keyword-rules',
  summary: 'Replace the keyword rules for mail no product parser knows (tried in order).',
  request: { body: { required: true, content: { 'application/json': { schema: KeywordRulesSchema } } } },
  responses: { 200: json('The saved rules.', KeywordRulesSchema) },
});

const iso = (at: number) => new Date(at).toISOString();

/** A verdict as the API shows it. */
function previewOf(verdict: Verdict): z.infer<typeof MailPreviewSchema> {
  const { result } = verdict;
  if (result.kind === 'unreadable') return { parser: verdict.parser, kind: 'unreadable', reason: result.reason, jobs: [], skipped: [] };
  return {
    parser: verdict.parser,
    kind: 'jobs',
    reason: null,
    jobs: result.jobs.map((job) => ({ device: job.device, status: job.status, startedAt: iso(job.startedAt), endedAt: iso(job.endedAt), bytes: job.bytes, message: job.message })),
    skipped: result.skipped ?? [],
  };
}

/** Rules as the mail path validates them: a 422 naming each bad field (`0.match.subject`). */
function validRules(rules: unknown) {
  const parsed = keywordRulesSchema.safeParse(rules);
  if (parsed.success) return parsed.data;
  throw unprocessable(
    'The keyword rules are not valid.',
    parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || 'rules', message: issue.message })),
  );
}

export function mailRoutes(deps: AppDeps, services: Services) {
  const inbox = services.mailInbox;
  return router()
    .openapi(listMailRoute, async (c) => c.json(await inbox.list(tenantOf(c.get('auth')), c.req.valid('query')), 200))
    .openapi(reparseMailRoute, async (c) => c.json(await inbox.reparse(tenantOf(c.get('auth')), c.req.valid('param').id), 200))
    .openapi(previewMailRoute, async (c) => {
      const rules = validRules(c.req.valid('json').rules);
      return c.json(previewOf(await inbox.preview(tenantOf(c.get('auth')), c.req.valid('param').id, rules)), 200);
    });
}

/** `PUT /settings/ingest/keyword-rules`, mounted at /api/v1/settings. */
export function keywordRuleRoutes(deps: AppDeps) {
  return router().openapi(putKeywordRulesRoute, async (c) => c.json(await writeKeywordRules(deps.db, tenantOf(c.get('auth')), c.req.valid('json'), deps.clock()), 200));
}
