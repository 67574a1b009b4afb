/**
 * The compliance report over a period as a PDF (docs/reports.md), for a QBR or an audit:
 * the MSP's name in its accent colour; the summary first (client, the period and
 * every time in one stated timezone — the client's, else the tenant's — % of the time
 * meeting the SLA, devices, breaches); the breaches with start, end and duration; a
 * weekly chart of compliance across the period; then the devices, worst first. The
 * whole tenant starts with a per-client summary table (worst first), then each client
 * in that order with its breaches and devices. Maintenance windows excluded from the
 * figures are listed after the breaches (with when each was created, so a backdated
 * window shows), and a breach whose span held excluded maintenance says how much.
 */
import { totalBreachHours } from '../../../core/compliance-period.ts';
import { round1 } from '../../../core/format.ts';
import type { PeriodDevice, PeriodMaintenance, PeriodReport } from '../compliance-period.ts';
import { formatDate, formatDateTime } from '../mail/format.ts';
import type { PeriodExport, PeriodWeek } from './period-export.ts';
import { drawTable, ensureSpace, MARGIN, newPdf, type Doc, type PdfColumn } from './pdf-layout.ts';
import { rulesText } from './report-text.ts';

export const PERIOD_REPORT_TITLE = 'Backup SLA compliance over a period';

const CHART_HEIGHT = 110;
const INK = '#111827';
const MUTED = '#4b5563';

interface BreachRow {
  device: string;
  client: string;
  from: string;
  to: string | null;
  hours: number;
  maintenanceHours: number;
}

interface MaintenanceRow {
  name: string;
  from: string;
  to: string;
  hours: number;
  createdAt: string;
}

/** `97.6 %`, or `n/a` when nothing was counted (every device pending or in maintenance). */
export const pctText = (pct: number | null) => (pct === null ? 'n/a' : `${pct} %`);
const hoursText = (hours: number) => `${hours} h`;

/** The period as its reader's calendar says it, with the zone named. */
export function periodText(report: PeriodReport): string {
  return `${formatDateTime(report.from, report.timezone, true)} – ${formatDateTime(report.to, report.timezone, true)}`;
}

const breachesOf = (devices: readonly PeriodDevice[]): BreachRow[] =>
  devices
    .flatMap((d) => d.breaches.map((b) => ({ device: d.device.name, client: d.client.name, ...b })))
    .sort((a, b) => a.from.localeCompare(b.from) || a.device.localeCompare(b.device));

export function periodPdf(data: PeriodExport): Promise<Buffer> {
  const { report, branding } = data;
  const tz = report.timezone;
  const who = report.client?.name ?? 'All clients';
  const pdf = newPdf({ title: `${PERIOD_REPORT_TITLE} — ${who}`, createdAt: Date.parse(data.generatedAt) });
  const { doc, text, width } = pdf;
  const accent = branding.accentColor;

  // The MSP's band, then the title.
  doc.rect(0, 0, doc.page.width, 30).fill(accent);
  doc.font('bold').fontSize(11).fillColor('#ffffff').text(text(branding.mspName), MARGIN, 10, { width, lineBreak: false, ellipsis: true });
  doc.font('bold').fontSize(19).fillColor(INK).text(text(PERIOD_REPORT_TITLE), MARGIN, MARGIN, { width });
  doc.moveDown(0.3);
  const line = (label: string, value: string) => doc.font('bold').fontSize(10.5).fillColor(INK).text(`${label}: `, { continued: true, width }).font('regular').text(text(value), { width });
  line('Client', who);
  line('Period', periodText(report));
  line('Times', `all times in ${tz}`);
  line('Prepared by', branding.mspName);
  line('Generated', formatDateTime(data.generatedAt, tz, true));
  line('Rules', `${rulesText(report.rules.tenant)} — ${report.rules.note}`);
  doc.font('regular').fontSize(8.5).fillColor(MUTED)
    .text(text('Meeting SLA = time meeting ÷ (time meeting + time in breach). Time before a device’s first backup or enrolment (pending) and maintenance windows count as neither.'), { width });
  doc.moveDown(0.6);

  const breaches = breachesOf(report.devices);
  const headline = report.summary.meetingPct === null ? 'Meeting SLA: n/a (no device time counted)' : `Meeting SLA: ${pctText(report.summary.meetingPct)} of the time`;
  doc.font('bold').fontSize(16).fillColor(INK).text(text(headline), { width });
  doc.font('regular').fontSize(10.5)
    .text(text(`Devices ${report.summary.devices} · Devices with a breach ${report.summary.devicesWithBreach} · Breaches ${breaches.length} · Hours in breach ${totalBreachHours(breaches)}`), { width });
  doc.moveDown(0.8);

  if (report.client === null) {
    heading(doc, text, 'Clients, worst first');
    drawTable(doc, CLIENT_COLUMNS, report.clients, text, (c) => (c.devicesWithBreach > 0 ? '#fdecea' : null), 'No clients with devices in this period.');
    doc.moveDown(0.6);
    maintenanceSection(doc, text, report.maintenance, tz);
    weeklyChart(doc, text, data.weeks, tz, accent);
    for (const client of report.clients) {
      const devices = report.devices.filter((d) => d.client.id === client.id);
      doc.addPage();
      heading(doc, text, `${client.name}: meeting SLA ${pctText(client.meetingPct)}`, 14);
      doc.font('regular').fontSize(10).fillColor(INK).text(text(`Devices ${client.devices} · Devices with a breach ${client.devicesWithBreach}`), { width });
      doc.moveDown(0.4);
      clientDetails(doc, text, devices, tz);
    }
  } else {
    heading(doc, text, `Breaches (${breaches.length})`);
    drawTable(doc, breachColumns(tz), breaches, text, undefined, 'No breach in this period.');
    doc.moveDown(0.6);
    maintenanceSection(doc, text, report.maintenance, tz);
    weeklyChart(doc, text, data.weeks, tz, accent);
    heading(doc, text, 'Devices, worst first');
    drawTable(doc, deviceColumns(), report.devices, text, (d) => (d.breaches.length > 0 ? '#fdecea' : null), 'No devices in this period.');
  }
  return pdf.finish(`${branding.mspName} — ${who} — ${formatDate(report.from, tz)} – ${formatDate(report.to, tz)} (${tz})`);
}

function heading(doc: Doc, text: (value: string) => string, title: string, size = 12): void {
  ensureSpace(doc, 60);
  doc.x = MARGIN;
  doc.font('bold').fontSize(size).fillColor(INK).text(text(title), { width: doc.page.width - 2 * MARGIN });
  doc.moveDown(0.3);
}

/** The windows whose time was left out of the figures, one row per occurrence; nothing when none was. */
function maintenanceSection(doc: Doc, text: (value: string) => string, windows: readonly PeriodMaintenance[], tz: string): void {
  if (windows.length === 0) return;
  const rows: MaintenanceRow[] = windows.flatMap((w) => w.spans.map((span) => ({ name: w.name, ...span, createdAt: w.createdAt })));
  heading(doc, text, `Maintenance excluded (${windows.length} ${windows.length === 1 ? 'window' : 'windows'}, ${round1(windows.reduce((sum, w) => sum + w.hours, 0))} h)`);
  drawTable(doc, MAINTENANCE_COLUMNS(tz), rows, text);
  doc.moveDown(0.6);
}

function clientDetails(doc: Doc, text: (value: string) => string, devices: PeriodDevice[], tz: string): void {
  const breaches = breachesOf(devices);
  heading(doc, text, `Breaches (${breaches.length})`, 11);
  drawTable(doc, breachColumns(tz), breaches, text, undefined, 'No breach in this period.');
  doc.moveDown(0.4);
  heading(doc, text, 'Devices, worst first', 11);
  drawTable(doc, deviceColumns(), devices, text, (d) => (d.breaches.length > 0 ? '#fdecea' : null), 'No devices in this period.');
}

const CLIENT_COLUMNS: PdfColumn<PeriodReport['clients'][number]>[] = [
  { title: 'Client', width: 199, value: (c) => c.name },
  { title: 'Meeting SLA', width: 100, value: (c) => pctText(c.meetingPct) },
  { title: 'Devices', width: 100, value: (c) => String(c.devices) },
  { title: 'With a breach', width: 100, value: (c) => String(c.devicesWithBreach) },
];

const breachColumns = (tz: string): PdfColumn<BreachRow>[] => [
  { title: 'Device', width: 124, value: (b) => b.device },
  { title: 'Breach began', width: 120, value: (b) => formatDateTime(b.from, tz, true) },
  { title: 'Ended', width: 120, value: (b) => (b.to === null ? 'still in breach at the end' : formatDateTime(b.to, tz, true)) },
  { title: 'Duration', width: 135, value: (b) => (b.maintenanceHours > 0 ? `${hoursText(b.hours)} (+${b.maintenanceHours} h maintenance, excluded)` : hoursText(b.hours)) },
];

const MAINTENANCE_COLUMNS = (tz: string): PdfColumn<MaintenanceRow>[] => [
  { title: 'Window', width: 109, value: (m) => m.name },
  { title: 'From', width: 115, value: (m) => formatDateTime(m.from, tz, true) },
  { title: 'To', width: 115, value: (m) => formatDateTime(m.to, tz, true) },
  { title: 'Hours', width: 45, value: (m) => hoursText(m.hours) },
  { title: 'Created', width: 115, value: (m) => formatDateTime(m.createdAt, tz, true) },
];

const deviceColumns = (): PdfColumn<PeriodDevice>[] => [
  { title: 'Device', width: 134, value: (d) => d.device.name },
  { title: 'Kind', width: 60, value: (d) => d.device.kind },
  { title: 'SLA', width: 40, value: (d) => `${d.maxHours} h` },
  { title: 'Meeting SLA', width: 75, value: (d) => pctText(d.meetingPct) },
  { title: 'Breaches', width: 60, value: (d) => String(d.breaches.length) },
  { title: 'In breach', width: 65, value: (d) => hoursText(d.breachHours) },
  { title: 'Maintenance', width: 65, value: (d) => hoursText(d.maintenanceHours) },
];

/** One bar per week, 0–100 % on a labelled axis, the week's first day under it. */
function weeklyChart(doc: Doc, text: (value: string) => string, weeks: PeriodWeek[], tz: string, accent: string): void {
  heading(doc, text, `Compliance per week (weeks starting on the date shown, ${tz})`);
  ensureSpace(doc, CHART_HEIGHT + 40);
  const axis = 34;
  const left = MARGIN + axis;
  const top = doc.y + 12;
  const bottom = top + CHART_HEIGHT;
  const plotWidth = doc.page.width - MARGIN - left;
  doc.font('regular').fontSize(7).fillColor(MUTED);
  for (const pct of [0, 50, 100]) {
    const y = bottom - (pct / 100) * CHART_HEIGHT;
    doc.moveTo(left, y).lineTo(left + plotWidth, y).lineWidth(0.5).strokeColor('#e5e7eb').stroke();
    doc.text(`${pct} %`, MARGIN, y - 3, { width: axis - 6, align: 'right', lineBreak: false });
  }
  const slot = plotWidth / Math.max(1, weeks.length);
  const barWidth = Math.min(36, slot * 0.6);
  weeks.forEach((week, i) => {
    const x = left + i * slot + (slot - barWidth) / 2;
    const pct = week.meetingPct;
    if (pct !== null) {
      const height = Math.max(1, (pct / 100) * CHART_HEIGHT);
      doc.rect(x, bottom - height, barWidth, height).fill(accent);
    }
    doc.font('bold').fontSize(7).fillColor(INK).text(pctText(pct), x - 10, bottom - (pct ?? 0) / 100 * CHART_HEIGHT - 10, { width: barWidth + 20, align: 'center', lineBreak: false });
    doc.font('regular').fontSize(7).fillColor(MUTED).text(text(formatDate(week.from, tz).replace(/ \d{4}$/, '')), x - 10, bottom + 4, { width: barWidth + 20, align: 'center', lineBreak: false });
  });
  doc.x = MARGIN;
  doc.y = bottom + 20;
  doc.fillColor(INK);
}

/** `sla-compliance-<client>-<from>-to-<to>.pdf`, dates in the report's timezone. */
export function periodFilename(report: PeriodReport, extension: 'pdf' | 'csv'): string {
  const who = report.client ? report.client.id.replace(/[^A-Za-z0-9._-]+/g, '-') : 'all-clients';
  const day = (at: string) => new Intl.DateTimeFormat('en-CA', { timeZone: report.timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(at));
  return `sla-compliance-${who}-${day(report.from)}-to-${day(report.to)}.${extension}`;
}
