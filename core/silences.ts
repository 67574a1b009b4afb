/**
 * Silences, after Alertmanager's model: matchers, a start, an end, a comment and who
 * made it. A silence mutes notifications (tickets, notes, pages, reminders) for the
 * alerts it matches while it is active; the alerts themselves still open, escalate
 * and show `silencedBy`. Expiring a silence ends it now; it is never deleted, so the
 * list keeps what was muted and by whom.
 */
import { ALERT_TYPES, type AlertType, type Instant } from './types.ts';
import { isInstant, textIssues, type FieldIssue } from './field-issues.ts';

/** Every matcher given must match; at least one is required. */
export interface SilenceMatchers {
  clientId?: string;
  deviceId?: string;
  type?: AlertType;
}

export interface Silence {
  id: string;
  matchers: SilenceMatchers;
  startsAt: Instant;
  endsAt: Instant;
  comment: string;
  /** The key name or token subject that created it. */
  createdBy: string;
}

/** pending: starts later; active: `startsAt ≤ now < endsAt`; expired: ended. */
export type SilenceState = 'pending' | 'active' | 'expired';

/**
 * What a silence is matched against: an alert (its type), or a device-level
 * notification such as an On-Call page about an SLA breach (`type: null`), which only
 * silences without a `type` matcher mute.
 */
export interface SilenceSubject {
  deviceId: string;
  clientId: string;
  type: AlertType | null;
}

/** A silence as requested (`POST /silences`): `startsAt` defaults to now. */
export interface SilenceInput {
  matchers: SilenceMatchers;
  startsAt?: Instant;
  endsAt: Instant;
  comment: string;
}

/** Longest comment a silence keeps. */
export const SILENCE_COMMENT_MAX = 1_000;

/** The state of a silence at `now`. */
export function silenceState(silence: Pick<Silence, 'startsAt' | 'endsAt'>, now: Instant): SilenceState {
  if (now < silence.startsAt) return 'pending';
  return now < silence.endsAt ? 'active' : 'expired';
}

/** Whether every matcher of the silence matches the subject (a silence without matchers matches nothing). */
export function silenceMatches(silence: Pick<Silence, 'matchers'>, subject: SilenceSubject): boolean {
  const { clientId, deviceId, type } = silence.matchers;
  if (clientId === undefined && deviceId === undefined && type === undefined) return false;
  if (clientId !== undefined && clientId !== subject.clientId) return false;
  if (deviceId !== undefined && deviceId !== subject.deviceId) return false;
  if (type !== undefined && type !== subject.type) return false;
  return true;
}

/** The silences that mute the subject at `now`: active and matching, in the order given. */
export function silencesMuting<S extends Silence>(subject: SilenceSubject, silences: readonly S[], now: Instant): S[] {
  return silences.filter((silence) => silenceState(silence, now) === 'active' && silenceMatches(silence, subject));
}

/**
 * Expires the silence now (`DELETE /silences/:id`): an active one ends at `now`, a
 * pending one never starts (both times become `now`); an expired one is unchanged.
 */
export function expireSilence<S extends Silence>(silence: S, now: Instant): S {
  const state = silenceState(silence, now);
  if (state === 'expired') return silence;
  return { ...silence, startsAt: state === 'pending' ? now : silence.startsAt, endsAt: now };
}

/** The silence to store for a valid request: `startsAt` defaults to `now`. */
export function createSilence(input: SilenceInput, id: string, createdBy: string, now: Instant): Silence {
  return { id, matchers: { ...input.matchers }, startsAt: input.startsAt ?? now, endsAt: input.endsAt, comment: input.comment.trim(), createdBy };
}

/**
 * Every rule the request breaks (empty when valid): at least one matcher, a known
 * alert type, an end after the start and in the future (a silence that has already
 * ended would mute nothing), and a comment saying why.
 */
export function silenceIssues(input: SilenceInput, now: Instant): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const { clientId, deviceId, type } = input.matchers;
  if (clientId === undefined && deviceId === undefined && type === undefined) {
    issues.push({ path: 'matchers', message: 'matchers must name a clientId, a deviceId or a type (a silence never mutes a whole tenant by accident)' });
  }
  if (clientId !== undefined && clientId.trim() === '') issues.push({ path: 'matchers.clientId', message: 'matchers.clientId must not be empty' });
  if (deviceId !== undefined && deviceId.trim() === '') issues.push({ path: 'matchers.deviceId', message: 'matchers.deviceId must not be empty' });
  if (type !== undefined && !ALERT_TYPES.includes(type)) issues.push({ path: 'matchers.type', message: `matchers.type must be one of ${ALERT_TYPES.join(', ')}` });
  const startsAt = input.startsAt ?? now;
  if (input.startsAt !== undefined && !isInstant(input.startsAt)) issues.push({ path: 'startsAt', message: 'startsAt must be a valid time' });
  if (!isInstant(input.endsAt)) issues.push({ path: 'endsAt', message: 'endsAt must be a valid time' });
  // Without a startsAt the start is now, which the caller never wrote: name the rule they can act on.
  else if (input.startsAt === undefined && input.endsAt <= now) issues.push({ path: 'endsAt', message: 'endsAt must be in the future' });
  else if (input.endsAt <= startsAt) issues.push({ path: 'endsAt', message: 'endsAt must be after startsAt' });
  else if (input.endsAt <= now) issues.push({ path: 'endsAt', message: 'endsAt must be in the future' });
  issues.push(...textIssues('comment', input.comment, SILENCE_COMMENT_MAX, true));
  return issues;
}
