/** The discovery inbox (docs/ingest.md): devices that pinged with `?create=1` before being enrolled. */
import { isoTime, z } from './common.ts';

export const DiscoveredDeviceSchema = z
  .object({
    slug: z.string().openapi({ description: 'The ping slug it used: `/ping/{pingKey}/{slug}`.' }),
    source: z.enum(['ping']),
    state: z.enum(['pending', 'ignored']),
    firstSeenAt: isoTime,
    lastSeenAt: isoTime,
    pings: z.number().int().openapi({ description: 'Pings received.' }),
    held: z.number().int().openapi({ description: 'Pings held for replay on approval (the newest 20).' }),
  })
  .openapi('DiscoveredDevice');

export const DiscoveredListSchema = z.object({ items: z.array(DiscoveredDeviceSchema) }).openapi('DiscoveredList');

/** `POST /discovery/{slug}/approve`: the device to enrol (its id defaults to the slug). */
export const ApproveDiscoveredBodySchema = z
  .object({
    deviceId: z.string().optional().openapi({ description: 'Default: the slug.' }),
    clientId: z.string(),
    name: z.string(),
    kind: z.enum(['workstation', 'server', 'saas']),
    policyId: z.string(),
    quotaBytes: z.number().nullish(),
  })
  .openapi('ApproveDiscoveredBody');

export const ApprovedDeviceSchema = z
  .object({ deviceId: z.string(), replayed: z.number().int().openapi({ description: 'Held pings recorded for the device, oldest first.' }) })
  .openapi('ApprovedDevice');
