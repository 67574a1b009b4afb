/**
 * What makes a PSA integration key acceptable. The key is a credential the PSA
 * presents to us (`X-Integration-Key`), chosen by a person: a word or a short
 * pattern falls to a guess list in under a second (issue #18, finding 7).
 */

/** Fewest characters a key may have. */
export const INTEGRATION_KEY_MIN_LENGTH = 24;
/** Fewest different characters: `aaaa…` or `0101…` carries almost no entropy. */
export const INTEGRATION_KEY_MIN_DISTINCT = 10;

/**
 * Why `key` is not acceptable as an integration key, or null when it is: at least
 * 24 characters, at least 10 different ones, and not one shorter piece repeated
 * (`passwordpasswordpassword`). A random key of 18 bytes in base64url passes.
 */
export function integrationKeyIssue(key: string): string | null {
  const characters = [...key];
  if (characters.length < INTEGRATION_KEY_MIN_LENGTH) {
    return `The integration key needs at least ${INTEGRATION_KEY_MIN_LENGTH} characters; use a random one, e.g. "openssl rand -base64 24".`;
  }
  if (new Set(characters).size < INTEGRATION_KEY_MIN_DISTINCT) {
    return `The integration key needs at least ${INTEGRATION_KEY_MIN_DISTINCT} different characters; use a random one, e.g. "openssl rand -base64 24".`;
  }
  if (isRepetition(key)) return 'The integration key must not be one shorter piece repeated; use a random one, e.g. "openssl rand -base64 24".';
  return null;
}

/** Whether `text` is some shorter string written two or more times over. */
function isRepetition(text: string): boolean {
  // The classic test: text occurs inside (text + text) other than at 0 and at its own length.
  return (text + text).indexOf(text, 1) < text.length;
}
