/**
 * The event bodies of `POST /api/v1/events` as the demo sends them, and the
 * messages a backup agent would write.
 */
import type { DeviceKind } from '../../core/types.ts';

export type IngestEvent =
  | { type: 'job'; id: string; deviceId: string; status: 'success' | 'warning' | 'failed' | 'running'; startedAt: string; endedAt?: string; bytes?: number; message?: string }
  | { type: 'dr_test'; id: string; deviceId: string; at: string; result: 'passed' | 'failed'; message?: string }
  | { type: 'checkin'; deviceId: string; at: string }
  | { type: 'storage'; deviceId: string; at: string; usedBytes: number; quotaBytes?: number }
  | { type: 'saas_consent'; deviceId: string; at: string; state: 'ok' | 'expired' };

export const iso = (at: number): string => new Date(at).toISOString();

/** The time an event happened, for ordering one device's events. */
export function eventTime(event: IngestEvent): number {
  if (event.type === 'job') return Date.parse(event.endedAt ?? event.startedAt);
  return Date.parse(event.at);
}

/** A stable job id: one device never starts two jobs in the same millisecond. */
export const jobId = (deviceId: string, startedAt: number): string => `job-${deviceId}-${startedAt.toString(36)}`;

export const FAILURE_MESSAGES: Record<DeviceKind, readonly string[]> = {
  workstation: [
    'VSS snapshot creation failed (0x8004230F): the shadow copy provider had an unexpected error.',
    'Backup destination unreachable: connection to storage node timed out after 120 s.',
    'The agent service stopped unexpectedly during the backup (exit code 0xC0000005).',
    'Access denied reading C:\\Users\\Public\\Documents (error 5).',
    'Device went to sleep during the backup; job aborted after 3 retries.',
  ],
  server: [
    'VSS writer "SqlServerWriter" failed with a retryable error (0x800423F3).',
    'Insufficient free space on the local cache volume D: (1.2 GB free, 18 GB needed).',
    'Backup destination unreachable: TLS handshake with the cloud vault timed out.',
    'Changed-block tracking reset: full backup required but the backup window ended.',
    'Hyper-V checkpoint for VM "APP02" could not be created (0x80070490).',
  ],
  saas: [
    'Microsoft Graph throttled the backup (429 Too Many Requests); retry budget exhausted.',
    'Mailbox export failed for 3 users: item count changed during enumeration.',
    'Backup API quota exceeded for the day; the job will resume in the next window.',
  ],
};

export const WARNING_MESSAGES: readonly string[] = [
  'Completed with warnings: 3 files skipped because they were locked.',
  'Completed with warnings: 1 file path longer than 260 characters was skipped.',
  'Completed with warnings: retention cleanup deferred to the next run.',
];

export const CONSENT_FAILURE = 'OAuth token refresh failed (invalid_grant): the admin consent was revoked or expired. Re-authorize the connection.';
