/** Registers the integrations area's routes, background tasks and listeners. */
import type { AppDeps } from '../context.ts';
import type { Services } from '../services/index.ts';

export function wireIntegrations(services: Services, deps: AppDeps): void {
  void services;
  void deps;
}
