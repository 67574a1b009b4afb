/**
 * Vite plugin: collapses the whitespace of Lit `css` tagged templates in the widgets'
 * sources. The bundler minifies code but not the text of template literals, and the
 * widgets' styles are most of that text; collapsing it keeps the entry module inside
 * its size budget without a dependency. Only the literal parts change: `${…}`
 * expressions are copied as they are.
 */
const TAG = /\bcss`/g;

/** Collapses one literal part of a CSS template: runs of whitespace, and space around punctuation. */
export function collapseCss(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>])\s*/g, '$1')
    .replace(/:\s+/g, ':')
    .trim();
}

/** Rewrites every css`…` template in `source`; answers null when there is none. */
export function minifyCssLiterals(source) {
  let out = '';
  let last = 0;
  let changed = false;
  TAG.lastIndex = 0;
  for (let match = TAG.exec(source); match; match = TAG.exec(source)) {
    let i = match.index + match[0].length;
    out += source.slice(last, i);
    let literal = '';
    // Scan to the closing backtick, copying `${…}` expressions (brace-balanced) unchanged.
    while (i < source.length && source[i] !== '`') {
      if (source[i] === '\\') {
        literal += source.slice(i, i + 2);
        i += 2;
      } else if (source[i] === '$' && source[i + 1] === '{') {
        out += collapseCss(literal);
        literal = '';
        let depth = 0;
        const start = i;
        i += 1; // from the brace of `${`
        do {
          if (source[i] === '{') depth += 1;
          else if (source[i] === '}') depth -= 1;
          i += 1;
        } while (depth > 0 && i < source.length);
        out += ` ${source.slice(start, i)} `;
      } else {
        literal += source[i];
        i += 1;
      }
    }
    out += collapseCss(literal);
    last = i;
    changed = true;
    TAG.lastIndex = i;
  }
  return changed ? out + source.slice(last) : null;
}

export function minifyCssLiteralsPlugin() {
  return {
    name: 'minify-css-literals',
    enforce: 'pre',
    transform(code, id) {
      if (!/\/widgets\/.*\.ts$/.test(id)) return null;
      const result = minifyCssLiterals(code);
      return result === null ? null : { code: result, map: null };
    },
  };
}
