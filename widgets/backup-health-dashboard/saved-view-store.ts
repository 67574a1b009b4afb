import { parseView, writeView } from './view-state.ts';
import type { DashboardView } from './view.ts';

/** A named view the person saved: the same parameters a link to it carries. */
export interface SavedView {
  id: string;
  name: string;
  view: DashboardView;
}

/** Longer names are cut: a view's name is a label, not a note. */
export const MAX_NAME = 80;
/** Beyond this many the oldest are dropped: localStorage is small and shared with the host page. */
export const MAX_VIEWS = 50;

const KEY_PREFIX = 'bh-saved-views';

/**
 * Whose views these are: the tenant and person (else client) an embed token names, else
 * the tenant `/me` answered, else nobody in particular (one list per origin, which is
 * what localStorage is anyway). Read without verifying the signature: it only chooses a
 * list in this person's own browser, it grants nothing.
 */
export function ownerOf(token: string | undefined, tenantId: string | undefined): string {
  const claims = embedClaims(token);
  const tenant = claims?.t ?? tenantId;
  if (!tenant) return '';
  const who = claims?.u ?? (claims?.c ? `client:${claims.c}` : '');
  return who ? `${tenant}/${who}` : tenant;
}

function embedClaims(token: string | undefined): { t?: string; u?: string; c?: string } | undefined {
  const match = token ? /^bhe_([A-Za-z0-9_-]+)\./.exec(token) : null;
  if (!match) return undefined;
  try {
    const bytes = Uint8Array.from(atob(match[1]!.replace(/-/g, '+').replace(/_/g, '/')), (char) => char.charCodeAt(0));
    const claims: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (typeof claims !== 'object' || claims === null) return undefined;
    const { t, u, c } = claims as Record<string, unknown>;
    return { t: typeof t === 'string' ? t : undefined, u: typeof u === 'string' ? u : undefined, c: typeof c === 'string' ? c : undefined };
  } catch {
    return undefined;
  }
}

export const storageKeyOf = (owner: string): string => (owner ? `${KEY_PREFIX}:${owner}` : KEY_PREFIX);

/** A name as stored: trimmed, inner runs of spaces collapsed, at most MAX_NAME characters. */
export const cleanName = (name: string): string => name.trim().replace(/\s+/g, ' ').slice(0, MAX_NAME);

/**
 * The views stored under `key`. Whatever does not parse (another version, a hand edit)
 * is skipped, and each view goes through the link parser, so a stored view can never
 * hold a value a link could not.
 */
export function readViews(storage: Pick<Storage, 'getItem'>, key: string): SavedView[] {
  let stored: unknown;
  try {
    stored = JSON.parse(storage.getItem(key) ?? '[]');
  } catch {
    return [];
  }
  if (!Array.isArray(stored)) return [];
  const views: SavedView[] = [];
  for (const entry of stored.slice(-MAX_VIEWS)) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { id, name, params } = entry as Record<string, unknown>;
    if (typeof id !== 'string' || typeof name !== 'string' || typeof params !== 'string' || !cleanName(name)) continue;
    views.push({ id, name: cleanName(name), view: parseView(new URLSearchParams(params)) });
  }
  return views;
}

/** Stores `views` under `key` (throws when the browser refuses: full, or storage disabled). */
export function writeViews(storage: Pick<Storage, 'setItem'>, key: string, views: readonly SavedView[]): void {
  const stored = views.slice(-MAX_VIEWS).map(({ id, name, view }) => ({ id, name, params: writeView(view).toString() }));
  storage.setItem(key, JSON.stringify(stored));
}

/** The view named `name` (case and spacing ignored), other than `except`. */
export const namedLike = (views: readonly SavedView[], name: string, except?: string): SavedView | undefined => {
  const wanted = cleanName(name).toLocaleLowerCase();
  return views.find((view) => view.id !== except && view.name.toLocaleLowerCase() === wanted);
};
