import type { DeviceItem } from '../../core/api.ts';
import { FORMULA_CELL } from '../../core/csv-cells.ts';
import type { BhElement } from '../shared/base-element.ts';
import { deliverExport, localDateStamp } from '../shared/download.ts';

// The CSV is a machine export, English like the BFF's CSV and PDF exports whatever the
// page's language: fixed headers and fixed words for the enumerations (not the UI's labels),
// so a spreadsheet or script reading it works the same for every viewer.
const STATUS_WORDS: Record<DeviceItem['status'], string> = { healthy: 'Healthy', warning: 'Warning', critical: 'Critical', unknown: 'Unknown' };
const KIND_WORDS: Record<DeviceItem['kind'], string> = { workstation: 'Workstation', server: 'Server', saas: 'SaaS' };

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
        STATUS_WORDS[d.status] ?? d.status,
        d.name,
        d.id,
        d.client.name,
        KIND_WORDS[d.kind] ?? d.kind,
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

/** What a devices export was filtered by, for its file name. */
export interface ExportedView {
  client?: string;
  status?: string;
  kind?: string;
  q?: string;
}

/** Lowercase words joined by dashes: safe in a file name on every system. */
const slug = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');

/**
 * `backup-health-devices-contoso-dental-critical-2026-11-24.csv`: a filtered export
 * says what it holds, so two downloads of different views never share a name.
 */
export function devicesFilename(view: ExportedView, dateStamp: string): string {
  const parts = [view.client, view.status, view.kind, view.q ? `search-${view.q}` : undefined].map((part) => (part ? slug(part) : '')).filter(Boolean);
  return ['backup-health-devices', ...parts, dateStamp].join('-') + '.csv';
}

/** Writes `rows` as CSV and hands the file over (`bh-export`, then a download unless prevented). */
export async function exportDevicesCsv(host: BhElement, rows: readonly DeviceItem[], view: ExportedView): Promise<void> {
  const csv = await devicesToCsv(rows);
  // The BOM makes Excel read the file as UTF-8 (client names are not all ASCII).
  const blob = new Blob(['\ufeff', csv], { type: 'text/csv;charset=utf-8' });
  deliverExport(host, { report: 'devices', format: 'csv', filename: devicesFilename(view, localDateStamp()), blob, rowCount: rows.length });
}
