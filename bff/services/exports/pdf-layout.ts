/**
 * What the compliance PDFs share (pdfkit): an A4 document with the fonts registered,
 * tables that break across pages with their header repeated, and "Page n of m"
 * footers written once every page exists.
 */
import PDFDocument from 'pdfkit';
import { pdfFonts, printableText } from './pdf-fonts.ts';

export const MARGIN = 48;
const FOOTER_SPACE = 28;
const CELL_PAD_X = 4;
const CELL_PAD_Y = 3;
const TABLE_FONT_SIZE = 8;

export type Doc = InstanceType<typeof PDFDocument>;

export interface PdfColumn<T> {
  title: string;
  /** Points; a table's widths sum to at most the content width (≈ 499 pt on A4). */
  width: number;
  value(row: T): string;
}

export interface PdfDocument {
  doc: Doc;
  /** Reduces text to what the font in use can print. */
  text: (value: string) => string;
  /** The content width. */
  width: number;
  /** Writes the footers, ends the document and resolves with its bytes. */
  finish(footer: string): Promise<Buffer>;
}

export function newPdf(info: { title: string; createdAt: number }): PdfDocument {
  const fonts = pdfFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: { Title: info.title, Author: 'Backup Health', CreationDate: new Date(info.createdAt) },
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
  return {
    doc,
    text,
    width: doc.page.width - 2 * MARGIN,
    finish(footer) {
      drawFooters(doc, text(footer));
      doc.end();
      return done;
    },
  };
}

/** The lowest y a row may reach before the footer. */
export const pageBottom = (doc: Doc) => doc.page.height - MARGIN - FOOTER_SPACE;

/** Starts a new page unless `height` points still fit on this one. */
export function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > pageBottom(doc)) doc.addPage();
}

/** Draws a table from `doc.y`; rows for which `shade` answers a colour are filled with it. */
export function drawTable<T>(doc: Doc, columns: PdfColumn<T>[], rows: readonly T[], text: (value: string) => string, shade?: (row: T) => string | null, empty = 'None.'): void {
  const rowHeight = (cells: string[], font: string) => {
    doc.font(font).fontSize(TABLE_FONT_SIZE);
    return Math.max(...cells.map((cell, i) => doc.heightOfString(cell, { width: columns[i]!.width - 2 * CELL_PAD_X }))) + 2 * CELL_PAD_Y;
  };
  const tableWidth = columns.reduce((sum, c) => sum + c.width, 0);
  const drawRow = (cells: string[], y: number, height: number, font: string, fill: string | null) => {
    let x = MARGIN;
    if (fill) doc.rect(MARGIN, y, tableWidth, height).fill(fill);
    doc.font(font).fontSize(TABLE_FONT_SIZE).fillColor('#111827');
    cells.forEach((cell, i) => {
      doc.text(cell, x + CELL_PAD_X, y + CELL_PAD_Y, { width: columns[i]!.width - 2 * CELL_PAD_X });
      x += columns[i]!.width;
    });
    doc.moveTo(MARGIN, y + height).lineTo(x, y + height).lineWidth(0.5).strokeColor('#d1d5db').stroke();
  };
  const header = columns.map((column) => text(column.title));
  const headerHeight = rowHeight(header, 'bold');
  const drawHeader = (y: number) => {
    drawRow(header, y, headerHeight, 'bold', '#f3f4f6');
    return y + headerHeight;
  };

  if (doc.y + headerHeight * 2 > pageBottom(doc)) doc.addPage();
  let y = drawHeader(doc.y);
  if (rows.length === 0) {
    doc.font('regular').fontSize(TABLE_FONT_SIZE).text(text(empty), MARGIN + CELL_PAD_X, y + CELL_PAD_Y);
    doc.x = MARGIN;
    return;
  }
  for (const row of rows) {
    const cells = columns.map((column) => text(column.value(row)));
    const height = rowHeight(cells, 'regular');
    if (y + height > pageBottom(doc)) {
      doc.addPage();
      y = drawHeader(MARGIN);
    }
    drawRow(cells, y, height, 'regular', shade?.(row) ?? null);
    y += height;
  }
  doc.x = MARGIN;
  doc.y = y + 4;
}

/** The label and "Page n of m" at the foot of every buffered page. */
export function drawFooters(doc: Doc, label: string): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing below the bottom margin would otherwise start a new page.
    const bottomMargin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = doc.page.height - MARGIN - 10;
    const width = doc.page.width - 2 * MARGIN;
    doc.font('regular').fontSize(8).fillColor('#6b7280');
    doc.text(label, MARGIN, y, { width: width - 80, lineBreak: false, ellipsis: true });
    doc.text(`Page ${i - range.start + 1} of ${range.count}`, MARGIN, y, { width, align: 'right', lineBreak: false });
    doc.page.margins.bottom = bottomMargin;
  }
}
