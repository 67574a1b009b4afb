/**
 * The compliance report as CSV per RFC 4180 (papaparse): the header row first, then
 * one row per device, CRLF line ends — Python's csv module, pandas and Excel read it
 * without options (the summary is in the JSON and the PDF; each row says when the report
 * was generated). Fields that a spreadsheet would run as a formula (leading =, +, -,
 * @, tab, CR) are prefixed with an apostrophe.
 */
import Papa from 'papaparse';
import type { ComplianceReport } from '../../../core/api.ts';
import type { PeriodReport } from '../compliance-period.ts';
import { FORMULA_CELL } from '../../../core/csv-cells.ts';

export const CSV_COLUMNS = [
  'client id',
  'client',
  'device id',
  'device',
  'kind',
  'SLA hours',
  'last success',
  'state',
  'breach since',
  'breach hours',
  'generated at',
] as const;

/**
 * UTF-8 with a byte-order mark, so Excel reads names with accents correctly (Python:
 * `open(path, encoding='utf-8-sig')`; pandas and papaparse skip it themselves).
 */
export function complianceCsv(report: ComplianceReport): string {
  const rows = report.devices.map((entry) => [
    entry.client.id,
    entry.client.name,
    entry.device.id,
    entry.device.name,
    entry.device.kind,
    entry.maxHours,
    entry.lastSuccessAt ?? '',
    entry.state,
    entry.breachSince ?? '',
    entry.breachHours ?? '',
    report.generatedAt,
  ]);
  return csvFile(CSV_COLUMNS, rows);
}

export const PERIOD_CSV_COLUMNS = [
  'client id',
  'client',
  'device id',
  'device',
  'kind',
  'SLA hours',
  'meeting SLA %',
  'breach hours',
  'breaches',
  'period from',
  'period to',
  'timezone',
  'maintenance hours',
] as const;

/** The report over a period: one row per device, worst first, each row naming the period (same file rules as above). */
export function periodCsv(report: PeriodReport): string {
  const rows = report.devices.map((entry) => [
    entry.client.id,
    entry.client.name,
    entry.device.id,
    entry.device.name,
    entry.device.kind,
    entry.maxHours,
    entry.meetingPct ?? '',
    entry.breachHours,
    entry.breaches.length,
    report.from,
    report.to,
    report.timezone,
    entry.maintenanceHours,
  ]);
  return csvFile(PERIOD_CSV_COLUMNS, rows);
}

/** The file rules of both exports: RFC 4180 with CRLF, the header first, formula cells defused, a BOM. */
function csvFile(fields: readonly string[], rows: unknown[][]): string {
  const table = Papa.unparse({ fields: [...fields], data: rows }, { escapeFormulae: FORMULA_CELL, newline: '\r\n' });
  return `\uFEFF${table}\r\n`;
}
