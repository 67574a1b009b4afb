/**
 * The weekly health summary e-mail (docs/decisions.md, "Integrations"): HTML for mail clients (tables and
 * inline styles only — no SVG, no external images, no CSS classes) and a plain-text
 * alternative with the same six contents. Every value from the data is escaped.
 */
import { ALERT_TYPE_LABELS } from '../../../core/alert-labels.ts';
import type { WeeklyReportJson } from '../../../core/api.ts';
import { deviceConsoleUrl } from '../psa/tickets.ts';
import { escapeHtml as h, formatBytes, formatDate, formatDateTime, formatRate, inTimeZone } from './format.ts';

export interface WeeklyEmailContext {
  /** The MSP's name as branded (the tenant's name when none is set). */
  tenantName: string;
  /** Accent colour of bars and links, "#rrggbb" (validated when saved). */
  accentColor?: string;
  /** The schedule's timezone: dates are shown in it. */
  timezone: string;
  /** PUBLIC_URL, for links into the console. */
  publicUrl: string;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** Critical alerts listed in full; more are summarised as "and N more". */
const MAX_ALERTS_LISTED = 20;
const STATUS_COLORS = { healthy: '#15803d', warning: '#b45309', critical: '#b91c1c', unknown: '#6b7280' } as const;
const TEXT_BAR_WIDTH = 30;

export function renderWeeklyEmail(report: WeeklyReportJson, context: WeeklyEmailContext): RenderedEmail {
  const { totals } = report;
  const period = `${formatDate(report.periodStart, context.timezone)} – ${formatDate(report.periodEnd, context.timezone)}`;
  const subject = `Backup health weekly summary — ${context.tenantName} — ${period}: ${totals.critical} critical, ${totals.warning} warning`;
  return { subject: subject.replace(/[\r\n]+/g, ' '), html: renderHtml(report, context, period), text: renderText(report, context, period) };
}

/**
 * Bars drawn against the trend's own range (lowest day to highest), not against zero:
 * storage grows by a fraction of a percent a day, and bars scaled from zero all look
 * full. The lowest day keeps a sliver so that it still reads as a bar; a flat week
 * draws equal half bars.
 */
const MIN_SHARE = 0.05;
function storageRows(report: WeeklyReportJson) {
  const values = report.storageTrend.map((day) => day.usedBytes);
  const min = Math.min(...values);
  const max = Math.max(...values);
  return report.storageTrend.map((day) => ({
    ...day,
    share: max > min ? MIN_SHARE + ((1 - MIN_SHARE) * (day.usedBytes - min)) / (max - min) : 0.5,
  }));
}

/** "from 1.2 TB to 1.3 TB" under the chart: the scale the bars are drawn on. */
function storageRange(report: WeeklyReportJson): string {
  const values = report.storageTrend.map((day) => day.usedBytes);
  if (values.length === 0) return '';
  return `Bars span the week's range: ${formatBytes(Math.min(...values))} (shortest) to ${formatBytes(Math.max(...values))} (longest).`;
}

const typeWords = (type: keyof typeof ALERT_TYPE_LABELS) => ALERT_TYPE_LABELS[type] ?? type;

function renderText(report: WeeklyReportJson, context: WeeklyEmailContext, period: string): string {
  const { totals } = report;
  const lines: string[] = [
    `Backup health weekly summary — ${context.tenantName}`,
    `Period: ${formatDateTime(report.periodStart, context.timezone, true)} – ${formatDateTime(report.periodEnd, context.timezone, true)} (times in ${context.timezone})`,
    '',
    `Devices protected: ${totals.devices}`,
    `Healthy: ${totals.healthy}   Warning: ${totals.warning}   Critical: ${totals.critical}   Unknown: ${totals.unknown}`,
    `Job success rate this week: ${formatRate(report.jobSuccessRate)}`,
    '',
    `New critical alerts (${report.newCriticalAlerts.length}):`,
  ];
  if (report.newCriticalAlerts.length === 0) lines.push('  none');
  for (const alert of report.newCriticalAlerts.slice(0, MAX_ALERTS_LISTED)) {
    lines.push(`  - ${alert.device.name} (${alert.client.name}): ${typeWords(alert.type)} — ${inTimeZone(alert.reason, context.timezone)} [${formatDateTime(alert.triggeredAt, context.timezone, true)}]`);
  }
  if (report.newCriticalAlerts.length > MAX_ALERTS_LISTED) lines.push(`  … and ${report.newCriticalAlerts.length - MAX_ALERTS_LISTED} more`);
  lines.push('', 'Lowest health scores:');
  if (report.lowestScores.length === 0) lines.push('  none');
  for (const entry of report.lowestScores) {
    lines.push(`  ${String(entry.score).padStart(3)}  ${entry.status.padEnd(8)} ${entry.device.name} (${entry.client.name})`);
  }
  lines.push('', `Storage used (all devices, per day in ${context.timezone}):`);
  for (const day of storageRows(report)) {
    const bar = '#'.repeat(Math.round(day.share * TEXT_BAR_WIDTH));
    lines.push(`  ${day.date}  ${bar.padEnd(TEXT_BAR_WIDTH)}  ${formatBytes(day.usedBytes)}`);
  }
  if (report.storageTrend.length) lines.push(`  ${storageRange(report)}`);
  lines.push('', `Open the console: ${context.publicUrl}/console`, `Period ${period}.`);
  return lines.join('\n') + '\n';
}

const cell = 'padding:6px 10px;border-bottom:1px solid #e5e7eb;text-align:left;vertical-align:top;';
const headCell = `${cell}font-weight:600;color:#374151;background:#f9fafb;`;

function section(title: string, body: string): string {
  return `<h2 style="font-size:16px;margin:24px 0 8px;color:#111827;">${h(title)}</h2>${body}`;
}

/** A data table; `widths` (percentages) keep narrow columns from wrapping in mail clients. */
function table(headers: string[], rows: string[][], widths: number[] = []): string {
  const head = headers
    .map((title, i) => `<th scope="col"${widths[i] ? ` width="${widths[i]}%"` : ''} style="${headCell}">${h(title)}</th>`)
    .join('');
  const body = rows.map((row) => `<tr>${row.map((value) => `<td style="${cell}">${value}</td>`).join('')}</tr>`).join('');
  return `<table role="presentation" cellpadding="0" cellspacing="0" width="100%" style="border-collapse:collapse;font-size:14px;"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function statusBadge(status: keyof typeof STATUS_COLORS): string {
  return `<span style="color:${STATUS_COLORS[status]};font-weight:600;">${h(status)}</span>`;
}

function renderHtml(report: WeeklyReportJson, context: WeeklyEmailContext, period: string): string {
  const { totals } = report;
  const tz = context.timezone;
  const counts = (['healthy', 'warning', 'critical', 'unknown'] as const)
    .map(
      (status) =>
        `<td align="center" style="padding:10px;border:1px solid #e5e7eb;"><div style="font-size:22px;font-weight:700;color:${STATUS_COLORS[status]};">${totals[status]}</div><div style="font-size:12px;color:#4b5563;">${h(status)}</div></td>`,
    )
    .join('');
  const alerts = report.newCriticalAlerts.slice(0, MAX_ALERTS_LISTED).map((alert) => [
    `<a href="${h(deviceConsoleUrl(context.publicUrl, alert.device.id))}" style="color:#1d4ed8;">${h(alert.device.name)}</a>`,
    h(alert.client.name),
    h(typeWords(alert.type)),
    h(inTimeZone(alert.reason, tz)),
    h(formatDateTime(alert.triggeredAt, tz, true)),
  ]);
  const more = report.newCriticalAlerts.length > MAX_ALERTS_LISTED ? `<p style="font-size:13px;">… and ${report.newCriticalAlerts.length - MAX_ALERTS_LISTED} more in the console.</p>` : '';
  const lowest = report.lowestScores.map((entry) => [
    `<a href="${h(deviceConsoleUrl(context.publicUrl, entry.device.id))}" style="color:#1d4ed8;">${h(entry.device.name)}</a>`,
    h(entry.client.name),
    statusBadge(entry.status),
    h(entry.score),
  ]);
  const accent = context.accentColor ?? '#2563eb';
  const storage = storageRows(report).map((day) => {
    const width = Math.max(1, Math.round(day.share * 100));
    const bar = `<table role="presentation" cellpadding="0" cellspacing="0" width="100%"><tr><td width="${width}%" bgcolor="${accent}" style="background:${accent};height:12px;font-size:1px;line-height:12px;">&nbsp;</td>${width < 100 ? `<td width="${100 - width}%" style="font-size:1px;line-height:12px;">&nbsp;</td>` : ''}</tr></table>`;
    return [h(day.date), bar, h(formatBytes(day.usedBytes))];
  });
  const none = '<p style="font-size:14px;color:#4b5563;">None.</p>';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${h(`Backup health weekly summary — ${context.tenantName}`)}</title></head>
<body style="margin:0;padding:0;background:#f3f4f6;">
<table role="presentation" cellpadding="0" cellspacing="0" width="100%" style="background:#f3f4f6;"><tr><td align="center" style="padding:24px 12px;">
<table role="presentation" cellpadding="0" cellspacing="0" width="640" style="max-width:640px;width:100%;background:#ffffff;border:1px solid #e5e7eb;font-family:Arial,Helvetica,sans-serif;color:#111827;">
<tr><td style="padding:24px;">
<h1 style="font-size:20px;margin:0 0 4px;">Backup health weekly summary</h1>
<p style="margin:0;color:#4b5563;font-size:14px;">${h(context.tenantName)} · ${h(period)} · times in ${h(tz)}</p>
${section('Devices protected', `<p style="font-size:28px;font-weight:700;margin:0 0 8px;">${totals.devices}</p><table role="presentation" cellpadding="0" cellspacing="0" width="100%" style="border-collapse:collapse;"><tr>${counts}</tr></table>`)}
${section('Job success rate this week', `<p style="font-size:22px;font-weight:700;margin:0;">${h(formatRate(report.jobSuccessRate))}</p>`)}
${section(`New critical alerts (${report.newCriticalAlerts.length})`, alerts.length ? table(['Device', 'Client', 'Type', 'Reason', 'Triggered'], alerts, [16, 16, 18, 30, 20]) + more : none)}
${section('Lowest health scores', lowest.length ? table(['Device', 'Client', 'Status', 'Score'], lowest, [36, 30, 20, 14]) : none)}
${section('Storage used (all devices)', storage.length ? table([`Day (${tz})`, 'Trend', 'Used'], storage, [22, 58, 20]) + `<p style="font-size:12px;color:#4b5563;margin:6px 0 0;">${h(storageRange(report))}</p>` : none)}
<p style="margin:24px 0 0;font-size:14px;"><a href="${h(context.publicUrl)}/console" style="color:#1d4ed8;">Open the Backup Health console</a></p>
</td></tr></table>
</td></tr></table>
</body></html>
`;
}
