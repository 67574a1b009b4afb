/** POST /admin/evaluate (scope admin): evaluate every active device of the tenant now and say what changed. */
import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../context.ts';
import { requireScope, tenantOf } from '../http/auth.ts';
import type { Services } from '../services/index.ts';
import { evaluationArea } from '../wiring/evaluation.ts';

/** POST /admin/evaluate → the run's EvaluationSummary. */
export function adminRoutes(deps: AppDeps, services: Services) {
  const { sweeper } = evaluationArea(services);
  return new Hono<AppEnv>().post('/admin/evaluate', requireScope('admin'), async (c) => {
    return c.json(await sweeper.evaluateTenant(tenantOf(c.get('auth')), deps.clock()));
  });
}
