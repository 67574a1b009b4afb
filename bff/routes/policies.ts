/** `/policies`: backup policy upsert and preview (scope ingest), the list (admin: the Settings editor). */
import { z } from '@hono/zod-openapi';
import { PolicyListSchema, PolicyRecordSchema, SchedulePreviewSchema } from '../../contract/resources.ts';
import { schedulePreview } from '../../core/schedule-preview.ts';
import type { AppDeps } from '../context.ts';
import { tenantOf } from '../http/auth.ts';
import { resourceIdParam } from '../http/params.ts';
import { apiRoute, json, router } from '../http/route.ts';
import type { Services } from '../services/index.ts';
import { iso } from '../services/views.ts';
import { unprocessable } from '../http/problem.ts';
import { policyBody, schedule } from '../services/inventory-schema.ts';

export const putPolicyRoute = apiRoute('ingest', [400, 415, 422], {
  method: 'put',
  path: '/{id}',
  summary: 'Create (201) or update (200) a backup policy.',
  request: { params: resourceIdParam, body: { required: true, content: { 'application/json': { schema: policyBody } } } },
  responses: { 200: json('Updated.', PolicyRecordSchema), 201: json('Created.', PolicyRecordSchema) },
});

export const listPoliciesRoute = apiRoute('admin', [], {
  method: 'get',
  path: '/',
  summary: 'Every backup policy of the tenant by name, each with its schedule in words (for the Settings policy editor).',
  responses: { 200: json('The policies.', PolicyListSchema) },
});

const previewBody = z
  .object({
    schedule,
    timezone: z.string().max(100).openapi({ description: 'IANA timezone the slots are read in (the client\'s), e.g. Europe/Berlin.' }),
    graceHours: z.number().nullish(),
  })
  .openapi('SchedulePreviewBody');

export const schedulePreviewRoute = apiRoute('ingest', [400, 415, 422], {
  method: 'post',
  path: '/schedule-preview',
  summary: 'The next 5 slots of a schedule in a timezone, and its words (for a policy editor; stores nothing).',
  request: { body: { required: true, content: { 'application/json': { schema: previewBody } } } },
  responses: { 200: json('The preview.', SchedulePreviewSchema) },
});

export function policyRoutes(deps: AppDeps, services: Services) {
  return router().openapi(listPoliciesRoute, async (c) => {
    return c.json({ items: await services.inventory.listPolicies(tenantOf(c.get('auth'))) }, 200);
  }).openapi(putPolicyRoute, async (c) => {
    const { created, value } = await services.inventory.upsertPolicy(tenantOf(c.get('auth')), c.req.valid('param').id, c.req.valid('json'), deps.clock());
    return created ? c.json(value, 201) : c.json(value, 200);
  }).openapi(schedulePreviewRoute, (c) => {
    const { schedule: kind, timezone, graceHours } = c.req.valid('json');
    // Core's own check: a bad cron line, weekday, time or timezone is a 422 naming the field.
    const preview = schedulePreview({ schedule: kind, timezone, ...(graceHours != null ? { graceHours } : {}) }, deps.clock());
    if ('problems' in preview) throw unprocessable(preview.problems.map((p) => p.message).join('; '), preview.problems.map((p) => ({ path: p.field, message: p.message })));
    return c.json({ text: preview.text, slots: preview.slots.map((slot) => iso(slot)!) }, 200);
  });
}
