/**
 * Settings → Ingest (scope admin): how real tools reach the tenant. `GET
 * /settings/ingest` shows the ping key, the base of every ping URL, the mail
 * address and the keyword rules; `POST /settings/ingest/rotate-ping-key` replaces
 * the ping key, which ends the old URLs at once on every instance (pings read the
 * key from the database; nothing caches it).
 */
import { z } from '@hono/zod-openapi';
import type { AppDeps } from '../context.ts';
import { tenantOf } from '../http/auth.ts';
import { apiRoute, json, router } from '../http/route.ts';
import { pingKeyOf, rotatePingKey } from '../inbound/ping/ping-keys.ts';

/** A per-tenant keyword rule for mail no parser claims (kept by the mail path). */
export const keywordRule = z.object({
  match: z.object({ from: z.string().optional(), subject: z.string().optional() }),
  device: z.string(),
  failureKeywords: z.array(z.string()),
  successKeywords: z.array(z.string()),
});

export const ingestSettings = z.object({
  pingKey: z.string().openapi({ description: 'The credential of the ping URLs; it can report results and nothing else.', example: '5f0c9b2ad1e84c7fa3b6e2d9c0a1f4e7' }),
  pingUrlBase: z.string().openapi({ description: 'A device pings `{pingUrlBase}/{pingSlug}`.', example: 'https://backup-health.example/ping/5f0c9b2ad1e84c7fa3b6e2d9c0a1f4e7' }),
  mailAddress: z.string().openapi({ description: 'Where backup tools send their report mail (`{pingKey}+{clientId}@…` files it under a client).' }),
  keywordRules: z.array(keywordRule),
});

export type IngestSettings = z.infer<typeof ingestSettings>;

const getIngest = apiRoute('admin', [], {
  method: 'get',
  path: '/ingest',
  summary: 'How ping URLs and report mail reach this tenant',
  responses: { 200: json('The ingest settings.', ingestSettings) },
});
const rotate = apiRoute('admin', [], {
  method: 'post',
  path: '/ingest/rotate-ping-key',
  summary: 'Replace the ping key (old ping URLs answer 404 at once)',
  responses: { 200: json('The settings with the new key.', ingestSettings) },
});

export interface IngestSettingsOptions {
  /** The tenant's keyword rules; the mail path supplies them (none until it does). */
  keywordRules?: (tenantId: string) => Promise<IngestSettings['keywordRules']>;
}

/** GET /settings/ingest and POST /settings/ingest/rotate-ping-key, mounted at /api/v1/settings. */
export function ingestSettingsRoutes(deps: AppDeps, options: IngestSettingsOptions = {}) {
  const { db, config } = deps;
  const keywordRules = options.keywordRules ?? (async () => []);
  const mailDomain = new URL(config.publicUrl).hostname;
  const view = async (tenantId: string, pingKey: string): Promise<IngestSettings> => ({
    pingKey,
    pingUrlBase: `${config.publicUrl}/ping/${pingKey}`,
    mailAddress: `${pingKey}@${mailDomain}`,
    keywordRules: await keywordRules(tenantId),
  });

  return router()
    .openapi(getIngest, async (c) => {
      const tenantId = tenantOf(c.get('auth'));
      return c.json(await view(tenantId, await pingKeyOf(db, tenantId)), 200);
    })
    .openapi(rotate, async (c) => {
      const tenantId = tenantOf(c.get('auth'));
      return c.json(await view(tenantId, await rotatePingKey(db, tenantId)), 200);
    });
}
