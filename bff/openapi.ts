/**
 * The OpenAPI 3.1 document, generated from the route declarations (every sub-app's
 * `apiRoute`s, merged into the root app when mounted) and served at
 * `GET /api/v1/openapi.json`. Nothing here describes a route by hand except the
 * static widget files, which are served by a plain handler.
 */
import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './context.ts';
import { apiRoute, json } from './http/route.ts';

export const openApiDocumentRoute = apiRoute('public', [], {
  method: 'get',
  path: '/openapi.json',
  summary: 'This document.',
  responses: { 200: json('The OpenAPI 3.1 document of this API.', z.looseObject({ openapi: z.string() })) },
});

const INFO = {
  title: 'Backup Health API',
  version: '1',
  description: 'Backup health monitoring for MSPs. Times are ISO-8601 UTC; errors are application/problem+json (RFC 9457); lists answer {items, nextCursor}.',
};

/** Registers what the declarations cannot say (security schemes, the widget files); answers a builder of the document. */
export function openApiDocument(app: OpenAPIHono<AppEnv>): () => object {
  const registry = app.openAPIRegistry;
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'A tenant API key (scopes admin, ingest, read), an embed token (read, operate; optionally one client) or the platform key.',
  });
  registry.registerComponent('securitySchemes', 'integrationKey', {
    type: 'apiKey',
    in: 'header',
    name: 'X-Integration-Key',
    description: 'The PSA calling: read access to the tenant whose PSA integration key matches, while that integration is enabled.',
  });
  registry.registerPath(
    apiRoute('public', [404], {
      method: 'get',
      path: '/widgets/{file}',
      summary: 'The widget module (backup-health.js) and its chunks.',
      request: { params: z.object({ file: z.string().regex(/^[A-Za-z0-9._-]+\.js(\.map)?$/) }) },
      responses: {
        200: { description: 'The module, compressed (br or gzip) per Accept-Encoding, with an ETag.', content: { 'text/javascript': { schema: z.string() }, 'application/json': { schema: z.looseObject({}) } } },
        304: { description: 'Not modified: If-None-Match names the current ETag.' },
      },
    }),
  );
  // The document does not change while the app runs: build it once, on first request.
  let document: object | undefined;
  return () => (document ??= app.getOpenAPI31Document({ openapi: '3.1.0', info: INFO, servers: [{ url: '/' }] }));
}
