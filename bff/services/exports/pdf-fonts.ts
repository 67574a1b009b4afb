/**
 * Fonts for the PDF export. DejaVu Sans (Debian's fonts-dejavu) is embedded when
 * installed, so any client or device name prints as written; otherwise the standard
 * Helvetica is used, which only encodes Windows-1252: other characters are replaced
 * by their closest Latin form or "?".
 */
import { existsSync } from 'node:fs';

const DEJAVU = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
const DEJAVU_BOLD = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';

export interface PdfFonts {
  regular: string;
  bold: string;
  /** Whether the fonts are embedded TrueType (Unicode) rather than the standard Helvetica. */
  embedded: boolean;
}

// Windows-1252 characters outside Latin-1.
const CP1252_EXTRAS = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

function winAnsi(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || CP1252_EXTRAS.has(ch)) {
      out += ch;
      continue;
    }
    if (ch === '\n' || ch === '\t') {
      out += ' ';
      continue;
    }
    // "Łódź" → "Lodz", "ő" → "o": drop combining marks after decomposition.
    const latin = ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
    out += /^[\x20-\x7e]+$/.test(latin) ? latin : ch === 'Ł' ? 'L' : ch === 'ł' ? 'l' : '?';
  }
  return out;
}

let cached: PdfFonts | undefined;

/** The fonts to use (checked once per process). */
export function pdfFonts(): PdfFonts {
  if (!cached) {
    cached =
      existsSync(DEJAVU) && existsSync(DEJAVU_BOLD)
        ? { regular: DEJAVU, bold: DEJAVU_BOLD, embedded: true }
        : { regular: 'Helvetica', bold: 'Helvetica-Bold', embedded: false };
  }
  return cached;
}

/**
 * A function that makes text printable with the document's current font: WinAnsi
 * for Helvetica; for an embedded font, characters it has no glyph for (e.g. CJK in
 * DejaVu Sans) become "?" instead of an invisible box. The glyph check reads
 * pdfkit's loaded fontkit font, an internal: without it, text passes unchanged.
 */
export function printableText(doc: object, fonts: PdfFonts): (text: string) => string {
  const flatten = (text: string) => text.replace(/[\r\n\t]+/g, ' ');
  if (!fonts.embedded) return (text) => winAnsi(flatten(text));
  const font = (doc as { _font?: { font?: { hasGlyphForCodePoint?: (codePoint: number) => boolean } } })._font?.font;
  const hasGlyph = font?.hasGlyphForCodePoint?.bind(font);
  if (!hasGlyph) return flatten;
  return (text) => Array.from(flatten(text), (ch) => (hasGlyph(ch.codePointAt(0)!) ? ch : '?')).join('');
}

export { winAnsi as toWinAnsi };
