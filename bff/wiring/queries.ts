/** Registers the queries area's routes, background tasks and listeners. */
import type { AppDeps } from '../context.ts';
import type { Services } from '../services/index.ts';

export function wireQueries(services: Services, deps: AppDeps): void {
  void services;
  void deps;
}
