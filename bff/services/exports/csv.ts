/**
 * The compliance report as CSV (papaparse): `#` comment lines with the summary, then
 * one row per device. Fields that a spreadsheet would run as a formula (leading =,
 * +, -, @, tab, CR) are prefixed with an apostrophe. Read it back with
 * `Papa.parse(csv, { header: true, comments: '#' })`.
 */
import Papa from 'papaparse';
import type { ComplianceReport } from '../../../core/api.ts';
import { FORMULA_CELL } from '../../../core/csv-cells.ts';
import { REPORT_TITLE, countsText, percentText, rulesInForce } from './report-text.ts';

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
] as const;

/** UTF-8 with a byte-order mark, so spreadsheet programs read names with accents correctly. */
export function complianceCsv(report: ComplianceReport): string {
  // Comment lines carry only ids, numbers, times and fixed text: nothing a
  // spreadsheet could split or evaluate (names appear in the quoted rows below).
  const header = [
    `# ${REPORT_TITLE}`,
    `# Client: ${report.client ? report.client.id : 'all clients'}`,
    `# Generated: ${report.generatedAt}`,
    `# Rules in force (max. hours since the last successful backup): ${rulesInForce(report, '; ')}`,
    `# Compliance: ${percentText(report)} (${countsText(report, '; ')})`,
  ];
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
  ]);
  const table = Papa.unparse({ fields: [...CSV_COLUMNS], data: rows }, { escapeFormulae: FORMULA_CELL, newline: '\r\n' });
  return `\uFEFF${header.join('\r\n')}\r\n${table}\r\n`;
}
