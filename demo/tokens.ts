/**
 * Embed tokens for the demo pages, minted server side with the admin key at page
 * load: the page only ever sees short-lived tokens, never an API key —
 * except the admin view of the console, whose Settings tab needs an admin credential
 * (a separate admin key minted at start, never the bootstrap key). A demo convenience:
 * a real product keeps admin settings behind its own sign-in.
 */
import type { DemoContext } from './context.ts';

/** Lifetime of the tokens handed to pages; the pages renew them before they expire. */
export const PAGE_TOKEN_TTL_SECONDS = 15 * 60;

export type PageTokenKind = 'console' | 'console-admin' | 'psa' | 'portal' | 'theming';

export interface PageTokens {
  token: string;
  /** null: an API key, which does not expire. */
  expiresAt: string | null;
}

/**
 * - console: read + operate (acknowledge alerts) on every client;
 * - console-admin: the admin API key minted for the demo's Settings tab (the
 *   dashboard shows Settings to an admin credential only);
 * - psa: read + operate — technicians work alerts from inside the PSA;
 * - portal: read on one client only;
 * - theming: read.
 */
export async function mintPageTokens(context: DemoContext, kind: PageTokenKind, clientId?: string): Promise<PageTokens> {
  if (kind === 'console-admin') {
    if (!context.settingsKey) throw new Error('The demo has no admin credential yet.');
    return { token: context.settingsKey, expiresAt: null };
  }
  const scopes: ('read' | 'operate')[] = kind === 'console' || kind === 'psa' ? ['read', 'operate'] : ['read'];
  if (kind === 'portal' && !clientId) throw new Error('A portal token needs a client.');
  return context.api.post('/embed-tokens', {
    scopes,
    ttlSeconds: PAGE_TOKEN_TTL_SECONDS,
    // Who acknowledges or silences from this page: a host page names its signed-in user here.
    ...(kind === 'console' || kind === 'psa' ? { subject: kind === 'psa' ? 'Dana (PSA technician)' : 'Sam (technician)' } : {}),
    ...(kind === 'portal' ? { clientId } : {}),
  });
}
