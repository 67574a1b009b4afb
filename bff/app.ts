/**
 * createApp({ db, clock, config, instanceId }): the BFF as a Hono app, with no open
 * port and no timers (server.ts and background.ts add those), so tests drive it
 * through `app.request()` against a real database.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppDeps, AppEnv } from './context.ts';
import { authenticate } from './http/auth.ts';
import { ProblemError, problemResponse, tooLarge } from './http/problem.ts';
import { lagReadiness } from './http/readiness.ts';
import { log } from './log.ts';
import { credentialRoutes } from './routes/credentials.ts';
import { healthRoutes } from './routes/health.ts';
import { ingestSettingsRoutes } from './routes/ingest-settings.ts';
import { pingRoutes } from './routes/ping.ts';
import { widgetRoutes } from './routes/widgets.ts';
import { createServices, type Services } from './services/index.ts';

export interface App {
  app: Hono<AppEnv>;
  services: Services;
}

export function createApp(deps: AppDeps): App {
  const services = createServices(deps);
  services.readinessChecks.push(lagReadiness(deps.db, deps.clock));
  const { config } = deps;
  const app = new Hono<AppEnv>();

  app.use(
    '*',
    secureHeaders({
      // The widget module and the API are meant to be used from other origins.
      crossOriginResourcePolicy: 'cross-origin',
      crossOriginEmbedderPolicy: false,
      xFrameOptions: false,
    }),
  );
  app.route('/widgets', widgetRoutes(deps));
  app.route('/', healthRoutes(deps, services));
  // Ping URLs live at the root like Healthchecks' and carry their own credential (the ping key).
  app.route('/', pingRoutes(deps, services));

  const api = new Hono<AppEnv>();
  api.use(
    '*',
    cors({
      origin: (origin) => (config.corsOrigins.includes('*') ? '*' : config.corsOrigins.includes(origin) ? origin : null),
      allowHeaders: ['Authorization', 'Content-Type', 'X-Integration-Key', 'Idempotency-Key', 'Last-Event-ID'],
      allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      exposeHeaders: ['Content-Disposition'],
      maxAge: 600,
    }),
  );
  api.use(
    '*',
    bodyLimit({
      maxSize: config.bodyLimitBytes,
      onError: () => {
        throw tooLarge(`Bodies are limited to ${config.bodyLimitBytes} bytes; split the batch (at most 5,000 events).`);
      },
    }),
  );
  api.get('/openapi.json', (c) => c.json(services.openapi()));
  api.use('*', authenticate({ resolver: services.credentials, config, clock: deps.clock }));
  api.route('/', credentialRoutes(deps, services.credentials));
  api.route('/', ingestSettingsRoutes(deps));
  for (const mount of services.routes) api.route('/', mount);
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
    if (error instanceof ProblemError) return problemResponse(c, error.status, error.problem);
    if (error instanceof HTTPException) {
      const status = error.status as ContentfulStatusCode;
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
