/**
 * Settings → Ingest (scope admin): how real tools reach the tenant. `GET
 * /settings/ingest` shows the ping key, the base of every ping URL, the mail
 * address and the keyword rules; `POST /settings/ingest/rotate-ping-key` replaces
 * the ping key, which ends the old URLs at once on every instance (pings read the
 * key from the database; nothing caches it).
 */
import type { z } from '@hono/zod-openapi';
import { IngestSettingsSchema } from '../../contract/mail.ts';
import type { AppDeps } from '../context.ts';
import { tenantOf } from '../http/auth.ts';
import { apiRoute, json, router } from '../http/route.ts';
import { pingKeyOf, rotatePingKey } from '../inbound/ping/ping-keys.ts';

type IngestSettings = z.infer<typeof IngestSettingsSchema>;

const getIngest = apiRoute('admin', [], {
  method: 'get',
  path: '/ingest',
  summary: 'How ping URLs and report mail reach this tenant',
  responses: { 200: json('The ingest settings.', IngestSettingsSchema) },
});
const rotate = apiRoute('admin', [], {
  method: 'post',
  path: '/ingest/rotate-ping-key',
  summary: 'Replace the ping key (old ping URLs answer 404 at once)',
  responses: { 200: json('The settings with the new key.', IngestSettingsSchema) },
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
