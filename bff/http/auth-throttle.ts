/**
 * Failed authentication is rate-limited per client address and per credential
 * prefix (docs/security.md): a guess list runs into 429 after a handful of wrong keys, from
 * one address or spread over many. Checked before the credential is looked at, so a
 * blocked guesser learns nothing and costs no database read; only failures take a
 * token, so a working credential from a quiet address is never slowed.
 *
 * Embed tokens count per address only: their prefix is the same for every token of
 * a tenant (the start of the signed claims), so counting it would let anyone lock a
 * tenant's widgets out, and their HMAC cannot be guessed anyway.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../context.ts';
import { KeyRateLimiter, type RateLimitOptions } from '../inbound/ping/rate-limit.ts';
import { EMBED_TOKEN_PREFIX } from '../services/credentials.ts';

export interface AuthFailureLimits {
  /** Failures one client address may have: `burst` at once, `perSecond` sustained. */
  perAddress: RateLimitOptions;
  /** Failures one credential prefix (its first 12 characters) may have. */
  perPrefix: RateLimitOptions;
}

/** 20 failures at once per address, then one every 3 s; 10 per prefix, then one every 6 s. */
export function authFailureLimits(failuresPerMinute = 20): AuthFailureLimits {
  return {
    perAddress: { burst: failuresPerMinute, perSecond: failuresPerMinute / 60, maxKeys: 10_000 },
    perPrefix: { burst: Math.max(1, Math.ceil(failuresPerMinute / 2)), perSecond: failuresPerMinute / 120, maxKeys: 10_000 },
  };
}

const PREFIX_LENGTH = 12;

/** The part of a credential counted per prefix (hashed: the start of a key is part of the secret), or null for embed tokens. */
function prefixOf(credential: string): string | null {
  if (credential.startsWith(EMBED_TOKEN_PREFIX)) return null;
  return createHash('sha256').update(credential.slice(0, PREFIX_LENGTH)).digest('base64url');
}

export class FailedAuthThrottle {
  private readonly addresses: KeyRateLimiter;
  private readonly prefixes: KeyRateLimiter;

  constructor(clock: Clock, limits: AuthFailureLimits) {
    this.addresses = new KeyRateLimiter(clock, limits.perAddress);
    this.prefixes = new KeyRateLimiter(clock, limits.perPrefix);
  }

  /** Seconds to wait before `credential` may be tried from `address` (0: go ahead). */
  retryAfter(address: string | null, credential: string): number {
    const prefix = prefixOf(credential);
    return Math.max(address === null ? 0 : this.addresses.peek(address), prefix === null ? 0 : this.prefixes.peek(prefix));
  }

  /** Counts a failed attempt against the address and the prefix. */
  failed(address: string | null, credential: string): void {
    const prefix = prefixOf(credential);
    if (address !== null) this.addresses.take(address);
    if (prefix !== null) this.prefixes.take(prefix);
  }
}
