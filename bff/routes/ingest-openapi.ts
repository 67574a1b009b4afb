/**
 * The OpenAPI paths of the ingest routes (ping URLs at the root, ingest settings
 * under /api/v1), generated from their `createRoute` definitions so that the
 * validators and the document cannot drift apart.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { INGEST_SETTINGS_ROUTES } from './ingest-settings.ts';
import { PING_ROUTES } from './ping.ts';

/** Paths to merge into the API document. */
export function ingestOpenApiPaths(): Record<string, Record<string, unknown>> {
  const generator = new OpenAPIHono();
  for (const route of PING_ROUTES) generator.openAPIRegistry.registerPath(route);
  // The scope check is a function, not documentation: `x-required-scope` and `security` say it.
  for (const { middleware: _scopeCheck, ...route } of INGEST_SETTINGS_ROUTES) generator.openAPIRegistry.registerPath({ ...route, path: `/api/v1${route.path}` });
  const doc = generator.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'ingest', version: '1' } });
  return (doc.paths ?? {}) as Record<string, Record<string, unknown>>;
}
