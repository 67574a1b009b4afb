/**
 * restic's `backup --json` summary: the JSON line with `message_type: "summary"`,
 * usually the last of many status lines. It carries what the job did (files, bytes
 * processed and added, duration, snapshot id); restic 0.17 and later add
 * `backup_start`/`backup_end`.
 */

/** What a restic summary tells about a job. */
export interface ResticSummary {
  snapshotId: string | null;
  filesNew: number;
  filesChanged: number;
  filesUnmodified: number;
  dataAdded: number;
  totalFilesProcessed: number;
  totalBytesProcessed: number;
  /** Seconds. */
  totalDuration: number | null;
  /** Epoch ms when restic reports them (0.17+). */
  backupStart: number | null;
  backupEnd: number | null;
}

const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : 0);
const time = (value: unknown): number | null => {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
};

/**
 * The newest summary among `text`'s JSON lines (restic prints one per snapshot), or
 * null when there is none. Lines that are not JSON objects are passed over.
 */
export function findResticSummary(text: string): ResticSummary | null {
  let end = text.length;
  while (end > 0) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const line = text.slice(start, end).trim();
    end = start - 1;
    if (!line.startsWith('{') || !line.includes('"summary"')) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    const summary = toSummary(value);
    if (summary) return summary;
  }
  return null;
}

function toSummary(value: unknown): ResticSummary | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  if (v.message_type !== 'summary') return null;
  const duration = typeof v.total_duration === 'number' && Number.isFinite(v.total_duration) && v.total_duration >= 0 ? v.total_duration : null;
  return {
    snapshotId: typeof v.snapshot_id === 'string' ? v.snapshot_id.slice(0, 64) : null,
    filesNew: count(v.files_new),
    filesChanged: count(v.files_changed),
    filesUnmodified: count(v.files_unmodified),
    dataAdded: count(v.data_added),
    totalFilesProcessed: count(v.total_files_processed),
    totalBytesProcessed: count(v.total_bytes_processed),
    totalDuration: duration,
    backupStart: time(v.backup_start),
    backupEnd: time(v.backup_end),
  };
}
