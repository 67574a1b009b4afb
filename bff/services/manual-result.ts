/**
 * Manual results (docs/schedules.md): a person records that a backup succeeded or failed when
 * no tool reported it — a copy made by hand, a job whose report was lost. It is stored
 * as a job (so it counts like one: status, recency, runs, alerts) through the same
 * ingest path as reported jobs, with who entered it and why.
 */
import { randomUUID } from 'node:crypto';
import type { JobItem } from '../../core/api.ts';
import { textIssues } from '../../core/index.ts';
import type { SqlExecutor } from '../db/port.ts';
import { unprocessable } from '../http/problem.ts';
import type { Ingestor } from './ingest/index.ts';

export const MANUAL_NOTE_MAX = 2_000;

export interface ManualResultInput {
  status: 'success' | 'failed';
  at?: string | undefined;
  note: string;
}

const DEVICE_SQL = 'SELECT client_id FROM devices WHERE tenant_id = ? AND id = ?';

/**
 * Records the result for a device the caller may see; null when there is none (404).
 * 422 for a note that is empty, too long or has control characters, a time that is not
 * ISO-8601 or lies in the future, or a retired device.
 */
export async function recordManualResult(
  db: SqlExecutor,
  ingestor: Ingestor,
  scope: { tenantId: string; clientId: string | null },
  deviceId: string,
  input: ManualResultInput,
  recordedBy: string,
  now: number,
  clockSkewMs: number,
): Promise<JobItem | null> {
  const [device] = await db.all<{ client_id: string }>(DEVICE_SQL, [scope.tenantId, deviceId]);
  if (!device || (scope.clientId !== null && device.client_id !== scope.clientId)) return null;

  const errors = textIssues('note', input.note, MANUAL_NOTE_MAX, true);
  const at = input.at === undefined ? now : Date.parse(input.at);
  if (input.at !== undefined && (!/^\d{4}-\d{2}-\d{2}T/.test(input.at) || Number.isNaN(at))) {
    errors.push({ path: 'at', message: 'at must be an ISO-8601 time with an offset, e.g. "2026-11-24T22:00:00Z"' });
  } else if (at > now + clockSkewMs) {
    errors.push({ path: 'at', message: 'at must not be in the future' });
  }
  if (errors.length > 0) throw unprocessable(`The manual result has ${errors.length} invalid field(s).`, errors);

  const note = input.note.trim();
  const id = `manual-${randomUUID()}`;
  await ingestor.ingest(
    scope.tenantId,
    {
      events: [{ type: 'job', index: 0, id, deviceId, status: input.status, startedAt: at, endedAt: at, bytes: null, message: note, logUrl: null, recordedBy, note }],
      errors: [],
      total: 1,
    },
    now,
    // The person who recorded it looks at the device next: evaluate before answering.
    { wait: true },
  );
  const iso = new Date(at).toISOString();
  return { id, status: input.status, startedAt: iso, endedAt: iso, bytes: null, message: note, logUrl: null, source: 'manual', recordedBy, note };
}
