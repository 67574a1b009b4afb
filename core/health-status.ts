/**
 * The status rules (docs/health-score.md) and the sentences that explain them.
 */
import { isKnown, storageRatio } from './device-facts.ts';
import { formatElapsed, formatPercent, formatUtc, plural } from './format.ts';
import { behindScheduleNote, offlineReason, onScheduleNote, type SchedulePosition } from './schedule-position.ts';
import {
  backupAge,
  DR_TEST_FRESH_DAYS,
  recentJobCounts,
  SUCCESS_RATE_DAYS,
} from './score.ts';
import { storageLevel } from './storage-level.ts';
import { DAY, type DeviceProfile, type DeviceState, type HealthStatus, type Instant } from './types.ts';

/** Consecutive failures that make a device critical. */
export const CRITICAL_FAILURE_STREAK = 3;
/** A failure this recent keeps a device at warning although later backups succeeded. */
export const RECENT_FAILURE_DAYS = 7;

interface Finding {
  level: 'critical' | 'warning';
  reason: string;
}

const critical = (reason: string): Finding => ({ level: 'critical', reason });
const warning = (reason: string): Finding => ({ level: 'warning', reason });

/**
 * Status by the first matching rule, and the reasons: status reasons first (an offline
 * device says so), then score notes. Being behind schedule is read from `position`.
 */
export function healthStatus(device: DeviceProfile, state: DeviceState, now: Instant, position: SchedulePosition): { status: HealthStatus; reasons: string[] } {
  if (!isKnown(state)) return { status: 'unknown', reasons: unknownReasons(state) };
  const findings = [...criticalFindings(device, state, now, position), ...warningFindings(state, now, position)];
  const status: HealthStatus = findings.some((f) => f.level === 'critical') ? 'critical' : findings.length > 0 ? 'warning' : 'healthy';
  const offline = position.offlineSince !== null ? [offlineReason(position, now)] : [];
  const statusReasons = findings.length > 0 ? [...findings.map((f) => f.reason), ...offline] : offline.length > 0 ? offline : [healthyReason(state, now, position)];
  return { status, reasons: [...statusReasons, ...scoreNotes(device, state, now)] };
}

function criticalFindings(device: DeviceProfile, state: DeviceState, now: Instant, position: SchedulePosition): Finding[] {
  const findings: Finding[] = [];
  if (state.lastDrTest?.result === 'failed') findings.push(critical(`Most recent DR test failed on ${formatUtc(state.lastDrTest.at)}`));
  if (state.consecutiveFailures >= CRITICAL_FAILURE_STREAK) findings.push(critical(failureStreakReason(state)));
  if (position.criticallyOverdue) findings.push(critical(overdueReason(state, now, position)));
  if (device.kind === 'saas' && state.saasConsent?.state === 'expired') {
    findings.push(critical(`SaaS consent expired on ${formatUtc(state.saasConsent.at)}`));
  }
  return findings;
}

function warningFindings(state: DeviceState, now: Instant, position: SchedulePosition): Finding[] {
  const findings: Finding[] = [];
  if (state.consecutiveFailures > 0 && state.consecutiveFailures < CRITICAL_FAILURE_STREAK) {
    findings.push(warning(failureStreakReason(state)));
  } else if (state.consecutiveFailures === 0 && state.lastFailureAt !== null && now - state.lastFailureAt <= RECENT_FAILURE_DAYS * DAY) {
    findings.push(warning(`A backup failed on ${formatUtc(state.lastFailureAt)} (within the last ${RECENT_FAILURE_DAYS} days); later backups succeeded`));
  }
  if (position.overdue && !position.criticallyOverdue) findings.push(warning(overdueReason(state, now, position)));
  return findings;
}

/** "3 consecutive failures since …" (or "Last backup failed at …" for one). */
export function failureStreakReason(state: DeviceState): string {
  const since = formatUtc(state.failureStreakSince ?? state.lastFailureAt ?? state.enrolledAt);
  if (state.consecutiveFailures === 1) return `Last backup failed at ${since}`;
  return `${state.consecutiveFailures} consecutive failures since ${since}`;
}

/** "Last successful backup 53 h ago (policy every 4 h)", or the same counted from the first job. */
export function overdueReason(state: DeviceState, now: Instant, position: SchedulePosition): string {
  const age = formatElapsed(backupAge(state, now));
  const policy = behindScheduleNote(position);
  if (state.lastSuccessAt !== null) return `Last successful backup ${age} ago (${policy})`;
  const from = state.firstJobAt !== null ? `the first job on ${formatUtc(state.firstJobAt)}` : `enrolment on ${formatUtc(state.enrolledAt)}`;
  return `No successful backup in the ${age} since ${from} (${policy})`;
}

function healthyReason(state: DeviceState, now: Instant, position: SchedulePosition): string {
  return `Last backup succeeded ${formatElapsed(backupAge(state, now))} ago, ${onScheduleNote(position)}`;
}

function unknownReasons(state: DeviceState): string[] {
  const reasons = ['No backup job has completed yet'];
  if (state.firstJobAt !== null) reasons.push(`A job started on ${formatUtc(state.firstJobAt)} has not finished yet`);
  if (state.lastCheckinAt !== null) reasons.push(`Agent last checked in at ${formatUtc(state.lastCheckinAt)}`);
  if (state.firstJobAt === null && state.lastCheckinAt === null) reasons.push(`Enrolled on ${formatUtc(state.enrolledAt)}; nothing reported since`);
  return reasons;
}

/** What lowers the score without changing the status: storage, DR test age, success rate. */
function scoreNotes(device: DeviceProfile, state: DeviceState, now: Instant): string[] {
  const notes: string[] = [];
  const ratio = storageRatio(device, state);
  if (ratio !== null && storageLevel(ratio) !== 'ok') notes.push(`Storage at ${formatPercent(ratio)} of quota`);
  const test = state.lastDrTest;
  if (test === null) notes.push('No DR test on record');
  else if (test.result === 'passed' && now - test.at > DR_TEST_FRESH_DAYS * DAY) {
    notes.push(`Last DR test passed on ${formatUtc(test.at)}, more than ${DR_TEST_FRESH_DAYS} days ago`);
  }
  const { ok, failed } = recentJobCounts(state, now);
  if (failed > 0) {
    notes.push(`${formatPercent(ok / (ok + failed))} of ${plural(ok + failed, 'backup')} succeeded in the last ${SUCCESS_RATE_DAYS} days`);
  } else if (ok === 0) notes.push(`No backup completed in the last ${SUCCESS_RATE_DAYS} days`);
  return notes;
}
