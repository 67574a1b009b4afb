/**
 * Mail addresses of tenants: a tenant receives reports at `{key}@…` or
 * `{key}+{clientId}@…` (any domain: the deployment's MX record decides which mail
 * reaches the listener). The key names the tenant; the plus part suggests a client.
 */
import type { SqlExecutor } from '../../db/client.ts';

/** The parts of a recipient address, or null when it is no address at all. */
export interface Mailbox {
  key: string;
  clientId: string | null;
}

/** `abc+client-1@mail.example` → `{key:'abc', clientId:'client-1'}`. */
export function parseMailbox(address: string): Mailbox | null {
  const at = address.lastIndexOf('@');
  const local = (at < 0 ? address : address.slice(0, at)).trim().replace(/^"|"$/g, '');
  if (local === '') return null;
  const plus = local.indexOf('+');
  const key = plus < 0 ? local : local.slice(0, plus);
  const clientId = plus < 0 ? '' : local.slice(plus + 1);
  return key === '' ? null : { key, clientId: clientId === '' ? null : clientId };
}

/** The address to give a backup product: `key@domain`, or `key+clientId@domain` to suggest a client. */
export function mailboxAddress(key: string, domain: string, clientId: string | null = null): string {
  return `${key}${clientId ? `+${clientId}` : ''}@${domain}`;
}

/** The tenant whose mailbox key is `key`, null for none. Injected, so tests and the merge can point it elsewhere. */
export type TenantForMailbox = (key: string) => Promise<string | null>;

// The mailbox key is the tenant's ping key: one secret for both ways of reporting,
// rotated together (GET /settings/ingest shows both the ping URLs and the address).
const TENANT_BY_KEY_SQL = 'SELECT id FROM tenants WHERE ping_key = ?';

/** Resolves mailbox keys against the tenants table. */
export function tenantMailboxResolver(db: SqlExecutor): TenantForMailbox {
  return async (key) => (await db.get<{ id: string }>(TENANT_BY_KEY_SQL, [key]))?.id ?? null;
}
