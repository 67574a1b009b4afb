/** Which client a read is about, from the credential and the `client` parameter. */
import type { AuthContext } from '../context.ts';
import { notFound } from './problem.ts';

/**
 * The client a read of tenant-wide or per-client data is about: a client-scoped
 * token is always about its own client (asking for another is a 404, as if it did
 * not exist); otherwise the `client` parameter, or null for the whole tenant.
 */
export function clientInScope(auth: AuthContext, requested: string | undefined): string | null {
  if (auth.clientId === null) return requested ?? null;
  if (requested !== undefined && requested !== auth.clientId) throw notFound(`Client "${requested}"`);
  return auth.clientId;
}
