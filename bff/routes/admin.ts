/** `/admin/evaluate` (scope admin): evaluate every active device of the tenant now and say what changed. */
import { EvaluationSummarySchema } from '../../contract/resources.ts';
import type { AppDeps } from '../context.ts';
import { tenantOf } from '../http/auth.ts';
import { apiRoute, json, router } from '../http/route.ts';
import type { Services } from '../services/index.ts';

export const evaluateRoute = apiRoute('admin', [], {
  method: 'post',
  path: '/evaluate',
  summary: 'Evaluate every active device of the tenant now; answers what changed.',
  responses: { 200: json('What the run changed.', EvaluationSummarySchema) },
});

export function adminRoutes(deps: AppDeps, services: Services) {
  return router().openapi(evaluateRoute, async (c) => c.json(await services.sweeper.evaluateTenant(tenantOf(c.get('auth')), deps.clock()), 200));
}
