/**
 * How a compliance report reads in the exports: one place for the labels and the
 * wording of rules and summary, shared by the CSV and the PDF.
 */
import type { ComplianceDevice, ComplianceReport } from '../../../core/api.ts';
import type { SlaHours } from '../../../core/types.ts';

export const REPORT_TITLE = 'Backup SLA compliance report';

const KIND_LABELS = { workstation: 'Workstations', server: 'Servers', saas: 'SaaS' } as const;

/** `Workstations 24 h · Servers 12 h · SaaS 36 h` */
export function rulesText(hours: SlaHours, separator = ' · '): string {
  return [`${KIND_LABELS.workstation} ${hours.workstationHours} h`, `${KIND_LABELS.server} ${hours.serverHours} h`, `${KIND_LABELS.saas} ${hours.saasHours} h`].join(separator);
}

/** The SLA hours in force, with the client's override named when there is one. */
export function rulesInForce(report: ComplianceReport, separator = ' · '): string {
  const effective = report.rules.effective ?? report.rules.tenant;
  const override = report.rules.client && Object.keys(report.rules.client).length > 0 ? ' (client override)' : '';
  return `${rulesText(effective, separator)}${override}`;
}

/** What the rules mean, for readers of the report. */
export const RULES_EXPLAINED =
  'A device meets its SLA while its last successful backup is at most that many hours old. Pending devices (enrolled within the window, no successful backup yet) are not counted.';

/** `66.7 %`, or `n/a` when no device is counted yet. */
export const percentText = (report: ComplianceReport) => (report.summary.percent === null ? 'n/a' : `${report.summary.percent} %`);

export function countsText(report: ComplianceReport, separator = ' · '): string {
  const { meeting, breach, pending } = report.summary;
  return [`Meeting ${meeting}`, `Breach ${breach}`, `Pending ${pending} (not counted)`].join(separator);
}

export const clientText = (report: ComplianceReport) => (report.client ? report.client.name : 'All clients');

/** `2026-11-24 12:00 UTC` from an ISO time, or an em dash. */
export function utcText(at: string | null): string {
  return at === null ? '—' : `${at.slice(0, 10)} ${at.slice(11, 16)} UTC`;
}

/** Hours in breach (`20.5 h`), or an em dash when the device is not in breach. */
export function breachText(device: ComplianceDevice): string {
  return device.breachHours === null ? '—' : `${device.breachHours} h`;
}

/** A filename-safe slug of the client id (or `all-clients`) and the date. */
export function exportFilename(report: ComplianceReport, extension: 'csv' | 'pdf'): string {
  const who = report.client ? report.client.id.replace(/[^A-Za-z0-9._-]+/g, '-') : 'all-clients';
  return `sla-compliance-${who}-${report.generatedAt.slice(0, 10)}.${extension}`;
}
