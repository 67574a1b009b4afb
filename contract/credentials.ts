/** Bodies and answers of tenants, API keys and embed tokens. */
import { isoTime, page, z } from './common.ts';

const name = z.string().trim().min(1).max(200);

export const TenantBodySchema = z.object({ name });
export const CreatedTenantSchema = z.object({ id: z.string(), name: z.string(), adminKey: z.string() }).openapi('CreatedTenant');

export const ApiKeyBodySchema = z.object({ name, scopes: z.array(z.enum(['admin', 'ingest', 'read'])).min(1).max(3) });
export const CreatedApiKeySchema = z.object({ id: z.string(), key: z.string() }).openapi('CreatedApiKey');

export const EmbedTokenSchema = z.object({ token: z.string(), expiresAt: isoTime }).openapi('EmbedToken');

/** An API key as `GET /api-keys` lists it: never the key itself. */
export const ApiKeyItemSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    scopes: z.array(z.enum(['admin', 'ingest', 'read'])),
    createdAt: isoTime,
    revokedAt: isoTime.nullable(),
  })
  .openapi('ApiKey');
export const ApiKeyPageSchema = page(ApiKeyItemSchema).openapi('ApiKeyPage');
