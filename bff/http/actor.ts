/** Who a credential is, in one line, for what the API records about a caller (a silence's `createdBy`). */
import type { AuthContext } from '../context.ts';

/**
 * `key:<name>` for an API key; for an embed token, which names no person, `embed-token`
 * and its client when it is client-scoped (`embed-token:<clientId>`).
 */
export function actorOf(auth: AuthContext): string {
  if (auth.actor) return auth.actor;
  if (auth.kind === 'embed-token') return auth.clientId === null ? 'embed-token' : `embed-token:${auth.clientId}`;
  return auth.kind;
}
