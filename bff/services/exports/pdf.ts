/**
 * The compliance report as a PDF for QBRs and audits (pdfkit): title, client,
 * generation time, period, rules in force, compliance and counts, then every device
 * in a table that breaks across pages with its header repeated, and "Page n of m"
 * footers. Same figures as `GET /compliance`: it renders that report value.
 */
import PDFDocument from 'pdfkit';
import type { ComplianceDevice, ComplianceReport } from '../../../core/api.ts';
import { pdfFonts, printableText } from './pdf-fonts.ts';
import { drawFooters, drawTable as drawClientTable, type PdfColumn } from './pdf-layout.ts';
import { REPORT_TITLE, RULES_EXPLAINED, breachText, clientText, countsText, percentText, rulesInForce } from './report-text.ts';
import { formatDateTime } from '../mail/format.ts';

const MARGIN = 48;
const FOOTER_SPACE = 28;
const CELL_PAD_X = 4;
const CELL_PAD_Y = 3;
const TABLE_FONT_SIZE = 8;

interface Column {
  title: string;
  width: number;
  value(device: ComplianceDevice): string;
}

// Widths sum to the A4 content width (595 − 2 × 48 ≈ 499 pt).
const columnsIn = (timeZone: string): Column[] => [
  { title: 'Client', width: 88, value: (d) => d.client.name },
  { title: 'Device', width: 114, value: (d) => d.device.name },
  { title: 'Kind', width: 60, value: (d) => d.device.kind },
  { title: 'SLA', width: 30, value: (d) => `${d.maxHours} h` },
  { title: `Last success (${timeZone})`, width: 92, value: (d) => (d.lastSuccessAt === null ? 'never' : formatDateTime(d.lastSuccessAt, timeZone)) },
  { title: 'State', width: 50, value: (d) => d.state },
  { title: 'In breach', width: 65, value: (d) => breachText(d) },
];

/**
 * Renders the report; resolves with the PDF bytes. Every time is in `timeZone` (the
 * client's, else the tenant's), labelled, like the period PDF.
 */
export function compliancePdf(report: ComplianceReport, timeZone = 'UTC'): Promise<Buffer> {
  const at = (iso: string) => formatDateTime(iso, timeZone, true);
  const fonts = pdfFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: { Title: `${REPORT_TITLE} — ${clientText(report)}`, Author: 'Backup Health', CreationDate: new Date(report.generatedAt) },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('regular', fonts.regular);
  doc.registerFont('bold', fonts.bold);
  const text = printableText(doc.font('regular'), fonts);

  const width = doc.page.width - 2 * MARGIN;
  doc.font('bold').fontSize(20).fillColor('#111827').text(text(REPORT_TITLE), MARGIN, MARGIN, { width });
  doc.moveDown(0.4);
  const line = (label: string, value: string) => {
    doc.font('bold').fontSize(10.5).text(`${label}: `, { continued: true, width }).font('regular').text(text(value), { width });
  };
  line('Client', clientText(report));
  line('Generated', at(report.generatedAt));
  line('Period', `state at ${at(report.generatedAt)} (times in ${timeZone}); each device is measured over its SLA window`);
  line('Rules in force', rulesInForce(report));
  doc.font('regular').fontSize(8.5).fillColor('#4b5563').text(text(RULES_EXPLAINED), { width }).fillColor('#111827');
  doc.moveDown(0.6);
  doc.font('bold').fontSize(16).text(text(`Compliance: ${percentText(report)}`), { width });
  doc.font('regular').fontSize(10.5).text(text(`${countsText(report)} · Devices ${report.devices.length}`), { width });
  doc.moveDown(1);

  if (report.client === null) {
    // The whole tenant: which clients need attention first, then the devices worst first.
    doc.font('bold').fontSize(12).text(text('Clients, worst first'), { width });
    doc.moveDown(0.3);
    drawClientTable(doc, CLIENT_COLUMNS, clientSummaries(report.devices), text, (c) => (c.breach > 0 ? '#fdecea' : null), 'No clients.');
    doc.moveDown(0.6);
    doc.font('bold').fontSize(12).text(text('Devices, worst first'), MARGIN, doc.y, { width });
    doc.moveDown(0.3);
  }
  drawTable(doc, columnsIn(timeZone), report.client === null ? [...report.devices].sort(deviceWorstFirst) : report.devices, text);
  drawFooters(doc, text(`${REPORT_TITLE} — ${clientText(report)} — ${at(report.generatedAt)}`));
  doc.end();
  return done;
}

type Doc = InstanceType<typeof PDFDocument>;

interface ClientSummary {
  name: string;
  percent: number | null;
  meeting: number;
  breach: number;
  pending: number;
}

/** Per client: devices meeting, in breach and pending, and the % meeting of those counted; lowest % first. */
export function clientSummaries(devices: readonly ComplianceDevice[]): ClientSummary[] {
  const byClient = new Map<string, ClientSummary>();
  for (const d of devices) {
    let entry = byClient.get(d.client.id);
    if (!entry) byClient.set(d.client.id, (entry = { name: d.client.name, percent: null, meeting: 0, breach: 0, pending: 0 }));
    if (d.state === 'breach') entry.breach++;
    else if (d.state === 'meeting') entry.meeting++;
    else entry.pending++;
  }
  for (const entry of byClient.values()) {
    const counted = entry.meeting + entry.breach;
    entry.percent = counted === 0 ? null : Math.round((entry.meeting / counted) * 1000) / 10;
  }
  return [...byClient.values()].sort((a, b) => (a.percent ?? Infinity) - (b.percent ?? Infinity) || b.breach - a.breach || a.name.localeCompare(b.name));
}

const CLIENT_COLUMNS: PdfColumn<ClientSummary>[] = [
  { title: 'Client', width: 179, value: (c) => c.name },
  { title: 'Compliance', width: 80, value: (c) => (c.percent === null ? 'n/a' : `${c.percent} %`) },
  { title: 'Meeting', width: 80, value: (c) => String(c.meeting) },
  { title: 'Breach', width: 80, value: (c) => String(c.breach) },
  { title: 'Pending', width: 80, value: (c) => String(c.pending) },
];

/** Breaches first (longest first), then pending, then meeting; by client and name within. */
function deviceWorstFirst(a: ComplianceDevice, b: ComplianceDevice): number {
  const rank = (d: ComplianceDevice) => (d.state === 'breach' ? 0 : d.state === 'meeting' ? 2 : 1);
  return rank(a) - rank(b) || (b.breachHours ?? 0) - (a.breachHours ?? 0) || a.client.name.localeCompare(b.client.name) || a.device.name.localeCompare(b.device.name);
}

function drawTable(doc: Doc, COLUMNS: Column[], devices: ComplianceDevice[], text: (value: string) => string): void {
  const bottom = () => doc.page.height - MARGIN - FOOTER_SPACE;
  const rowHeight = (cells: string[], font: string) => {
    doc.font(font).fontSize(TABLE_FONT_SIZE);
    return Math.max(...cells.map((cell, i) => doc.heightOfString(cell, { width: COLUMNS[i]!.width - 2 * CELL_PAD_X }))) + 2 * CELL_PAD_Y;
  };
  const drawRow = (cells: string[], y: number, height: number, font: string, fill: string | null) => {
    let x = MARGIN;
    if (fill) doc.rect(MARGIN, y, COLUMNS.reduce((sum, c) => sum + c.width, 0), height).fill(fill);
    doc.font(font).fontSize(TABLE_FONT_SIZE).fillColor('#111827');
    cells.forEach((cell, i) => {
      doc.text(cell, x + CELL_PAD_X, y + CELL_PAD_Y, { width: COLUMNS[i]!.width - 2 * CELL_PAD_X });
      x += COLUMNS[i]!.width;
    });
    doc.moveTo(MARGIN, y + height).lineTo(x, y + height).lineWidth(0.5).strokeColor('#d1d5db').stroke();
  };
  const header = COLUMNS.map((column) => column.title);
  const headerHeight = rowHeight(header, 'bold');
  const drawHeader = (y: number) => {
    drawRow(header, y, headerHeight, 'bold', '#f3f4f6');
    return y + headerHeight;
  };

  let y = drawHeader(doc.y);
  if (devices.length === 0) {
    doc.font('regular').fontSize(TABLE_FONT_SIZE).text('No devices.', MARGIN + CELL_PAD_X, y + CELL_PAD_Y);
    return;
  }
  for (const device of devices) {
    const cells = COLUMNS.map((column) => text(column.value(device)));
    const height = rowHeight(cells, 'regular');
    if (y + height > bottom()) {
      doc.addPage();
      y = drawHeader(MARGIN);
    }
    // Breach rows are shaded; the State column says it in words as well.
    drawRow(cells, y, height, 'regular', device.state === 'breach' ? '#fdecea' : null);
    y += height;
  }
}
