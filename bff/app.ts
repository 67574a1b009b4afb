/**
 * createApp({ db, clock, config, instanceId }): the BFF as a Hono app, with no open
 * port and no timers (server.ts and background.ts add those), so tests drive it
 * through `app.request()` against a real database. Each resource is one sub-app
 * mounted at its path; the OpenAPI document is generated from their declarations.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppDeps, AppEnv } from './context.ts';
import { authenticate } from './http/auth.ts';
import { bodyLimit } from './http/body-limit.ts';
import { apiCors } from './http/cors.ts';
import { compressJson } from './http/compress-json.ts';
import { notJson, ProblemError, problemResponse } from './http/problem.ts';
import { router } from './http/route.ts';
import { log } from './log.ts';
import { readKeywordRules } from './inbound/mail/keyword-rule-store.ts';
import { openApiDocument, openApiDocumentRoute } from './openapi.ts';
import { adminRoutes } from './routes/admin.ts';
import { alertRoutes } from './routes/alerts.ts';
import { apiKeyRoutes } from './routes/api-keys.ts';
import { clientRoutes } from './routes/clients.ts';
import { complianceRoutes } from './routes/compliance.ts';
import { trendRoutes } from './routes/trends.ts';
import { deviceRoutes } from './routes/devices.ts';
import { embedTokenRoutes } from './routes/embed-tokens.ts';
import { eventRoutes } from './routes/events.ts';
import { importRoutes } from './routes/import.ts';
import { ingestSettingsRoutes } from './routes/ingest-settings.ts';
import { keywordRuleRoutes, mailRoutes } from './routes/mail.ts';
import { discoveryRoutes } from './routes/discovery.ts';
import { maintenanceRoutes } from './routes/maintenance.ts';
import { meRoutes } from './routes/me.ts';
import { pingRoutes, type PingRouteOptions } from './routes/ping.ts';
import { policyRoutes } from './routes/policies.ts';
import { reportRoutes } from './routes/reports.ts';
import { settingsRoutes } from './routes/settings.ts';
import { silenceRoutes } from './routes/silences.ts';
import { streamRoutes } from './routes/stream.ts';
import { systemRoutes } from './routes/system.ts';
import { tenantRoutes } from './routes/tenants.ts';
import { widgetRoutes } from './routes/widgets.ts';
import { createServices, type ServiceOptions, type Services } from './services/index.ts';

export interface App {
  app: OpenAPIHono<AppEnv>;
  services: Services;
}

/** One sub-app per resource, at its path under `/api/v1` (after authentication). */
function mountResources(api: OpenAPIHono<AppEnv>, deps: AppDeps, services: Services) {
  return api
    .route('/tenants', tenantRoutes(deps))
    .route('/api-keys', apiKeyRoutes(deps, services))
    .route('/embed-tokens', embedTokenRoutes(deps, services))
    .route('/me', meRoutes(deps))
    .route('/clients', clientRoutes(deps, services))
    .route('/policies', policyRoutes(deps, services))
    .route('/devices', deviceRoutes(deps, services))
    .route('/import', importRoutes(deps, services))
    .route('/events', eventRoutes(deps, services))
    .route('/alerts', alertRoutes(deps, services))
    .route('/maintenance', maintenanceRoutes(deps))
    .route('/silences', silenceRoutes(deps))
    .route('/compliance', complianceRoutes(deps, services))
    .route('/trends', trendRoutes(deps, services))
    .route('/reports', reportRoutes(deps, services))
    .route('/settings', settingsRoutes(deps, services))
    .route('/settings', ingestSettingsRoutes(deps, { keywordRules: (tenantId) => readKeywordRules(deps.db, tenantId) }))
    .route('/settings', keywordRuleRoutes(deps))
    .route('/mail', mailRoutes(deps, services))
    .route('/discovery', discoveryRoutes(deps, services))
    .route('/stream', streamRoutes(deps, services.changeTail, services.streamAdmission))
    .route('/admin', adminRoutes(deps, services));
}

/**
 * Every operation under `/api/v1` as Hono's typed schema (path → method → input,
 * output, status), from the route declarations: the widgets' and demo's clients are
 * typed from it (`import type` only).
 */
export type ApiSchema = ReturnType<typeof mountResources> extends OpenAPIHono<AppEnv, infer S> ? S : never;

export function createApp(deps: AppDeps, options: ServiceOptions & { ping?: PingRouteOptions } = {}): App {
  const services = createServices(deps, options);
  const { config } = deps;
  const app = new OpenAPIHono<AppEnv>();
  const document = openApiDocument(app);

  app.use('*', services.metrics.middleware());
  app.use(
    '*',
    secureHeaders({
      // The widget module and the API are meant to be used from other origins.
      crossOriginResourcePolicy: 'cross-origin',
      crossOriginEmbedderPolicy: false,
      xFrameOptions: false,
    }),
  );
  app.use('*', compressJson());
  app.route('/widgets', widgetRoutes(deps));
  app.route('/', systemRoutes(deps, services));
  // Ping URLs live at the root like Healthchecks' and carry their own credential (the ping key).
  app.route('/', pingRoutes(deps, services, options.ping));

  const api = router();
  api.use(
    '*',
    apiCors({
      origin: (origin) => (config.corsOrigins.includes('*') ? '*' : config.corsOrigins.includes(origin) ? origin : null),
      allowHeaders: ['Authorization', 'Content-Type', 'X-Integration-Key', 'Idempotency-Key', 'Last-Event-ID'],
      allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      exposeHeaders: ['Content-Disposition', 'Retry-After'],
      maxAge: 600,
    }),
  );
  api.openapi(openApiDocumentRoute, (c) => c.json(document(), 200));
  // Who is asking is settled from the headers alone, before any body is read (docs/security.md).
  api.use('*', authenticate({ resolver: services.credentials, config, clock: deps.clock }));
  const limit = `Bodies are limited to ${config.bodyLimitBytes.toLocaleString('en')} bytes`;
  // Only an event batch can be split; any other body that large is a mistake, not a batch.
  api.use('*', bodyLimit(config.bodyLimitBytes, (path) => (path === '/api/v1/events' ? `${limit}; split the batch (at most 5,000 events).` : `${limit}.`)));
  mountResources(api, deps, services);
  app.route('/api/v1', api);

  app.notFound((c) =>
    problemResponse(c, 404, {
      type: 'https://backup-health.dev/problems/not-found',
      title: 'Not found',
      status: 404,
      detail: `No route for ${c.req.method} ${c.req.path}.`,
    }),
  );
  app.onError((error, c) => {
    if (error instanceof ProblemError) return problemResponse(c, error.status, error.problem, error.headers);
    if (error instanceof HTTPException) {
      const status = error.status as ContentfulStatusCode;
      // zod-openapi's media-type gate: every body it guards is declared as JSON only.
      if (status === 415) return problemResponse(c, 415, notJson().problem);
      return problemResponse(c, status, {
        type: `https://backup-health.dev/problems/${status === 400 ? 'bad-request' : 'http-' + status}`,
        title: status === 400 ? 'The request could not be read' : 'Request failed',
        status,
        detail: error.message || undefined,
      });
    }
    log.error('request failed', { method: c.req.method, path: c.req.path, error: String((error as Error)?.stack ?? error) });
    return problemResponse(c, 500, {
      type: 'https://backup-health.dev/problems/internal',
      title: 'Internal error',
      status: 500,
      detail: 'The server failed to answer; the error was logged. Retry, and report it if it persists.',
    });
  });
  return { app, services };
}
