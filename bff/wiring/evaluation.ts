/** Registers the evaluation area's routes, background tasks and listeners. */
import type { AppDeps } from '../context.ts';
import type { Services } from '../services/index.ts';

export function wireEvaluation(services: Services, deps: AppDeps): void {
  void services;
  void deps;
}
