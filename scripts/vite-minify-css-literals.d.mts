/** Types of vite-minify-css-literals.mjs (a plain ES module so vite.config can load it before any TypeScript). */
export function collapseCss(text: string): string;
export function minifyCssLiterals(source: string): string | null;
export function minifyCssLiteralsPlugin(): { name: string; enforce: 'pre'; transform(code: string, id: string): { code: string; map: null } | null };
