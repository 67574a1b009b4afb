/** Who a credential is, in one line, for what the API records about a caller (an acknowledgement's `by`, a silence's `createdBy`). */
import type { AuthContext } from '../context.ts';

/**
 * `key:<name>` for an API key; for an embed token, the subject it was minted for, or
 * (minted without one, so it names no person) `embed-token` and its client when it is
 * client-scoped (`embed-token:<clientId>`).
 */
export function actorOf(auth: AuthContext): string {
  if (auth.actor) return auth.actor;
  if (auth.kind === 'embed-token') return auth.clientId === null ? 'embed-token' : `embed-token:${auth.clientId}`;
  return auth.kind;
}
