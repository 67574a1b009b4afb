import type { DeviceItem } from '../../core/api.ts';
import { FORMULA_CELL } from '../../core/csv-cells.ts';
import { KIND_LABELS, STATUS_LABELS } from '../shared/labels.ts';

const HEADERS = ['Status', 'Device', 'Device ID', 'Client', 'Kind', 'Score', 'Last successful backup (UTC)', 'Policy', 'Policy interval (h)', 'Storage used (bytes)', 'Storage quota (bytes)'];

/**
 * The table's rows as CSV (papaparse, loaded on first export). `escapeFormulae` keeps a
 * device named `=HYPERLINK(…)` from becoming a formula in the spreadsheet that opens it.
 */
export async function devicesToCsv(rows: readonly DeviceItem[]): Promise<string> {
  const { default: Papa } = await import('papaparse');
  return Papa.unparse(
    {
      fields: HEADERS,
      data: rows.map((d) => [
        STATUS_LABELS[d.status] ?? d.status,
        d.name,
        d.id,
        d.client.name,
        KIND_LABELS[d.kind] ?? d.kind,
        d.score,
        d.lastSuccessAt ?? '',
        d.policy.name,
        d.policy.intervalHours,
        d.storage.usedBytes ?? '',
        d.storage.quotaBytes ?? '',
      ]),
    },
    { escapeFormulae: FORMULA_CELL },
  );
}
