/**
 * Just enough HTML reading for report tables: the rows of every table as arrays of
 * cell texts, and a page's text. Report bodies are machine-written tables, so tags
 * are matched, not a DOM built; nested tables give their rows in document order.
 */

const ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Text of an HTML fragment: tags dropped, entities decoded, white space collapsed. */
export function htmlText(html: string): string {
  return decodeEntities(html.replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ').replace(/<br\s*\/?>/gi, '\n').replace(/<[^>]*>/g, ' '))
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();
}

/** `&amp;`, `&#233;`, `&#xE9;` and the common named entities. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/**
 * Every `<tr>` of the document as its cells' texts (`<td>` and `<th>`), in order.
 * A row's cells end at the next `<tr>` or `</tr>`, so unclosed rows still read.
 */
export function tableRows(html: string): string[][] {
  const rows: string[][] = [];
  const rowPattern = /<tr\b[^>]*>([\s\S]*?)(?=<tr\b|<\/tr\s*>|<\/table\s*>|$)/gi;
  for (const rowMatch of html.matchAll(rowPattern)) {
    const cells: string[] = [];
    const cellPattern = /<t[dh]\b[^>]*>([\s\S]*?)(?=<t[dh]\b|<\/t[dh]\s*>|<\/tr\s*>|$)/gi;
    for (const cellMatch of rowMatch[1]!.matchAll(cellPattern)) cells.push(htmlText(cellMatch[1]!));
    if (cells.length > 0) rows.push(cells);
  }
  return rows;
}
