import { defineConfig } from 'vite';
import { minifyCssLiteralsPlugin } from './scripts/vite-minify-css-literals.mjs';

/**
 * Library build of the widget kit: one ES module, `dist/widgets/backup-health.js`, that
 * registers every tag. What a page rarely needs is a dynamic import in its own chunk,
 * loaded on first use: chart.js (`chart-*.js`), papaparse (CSV export), the device
 * detail panel, the table's row virtualizer and the admin settings forms. The BFF serves this folder at `/widgets/`.
 */
export default defineConfig({
  plugins: [minifyCssLiteralsPlugin()],
  build: {
    outDir: 'dist/widgets',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    lib: {
      entry: 'widgets/index.ts',
      formats: ['es'],
      fileName: () => 'backup-health.js',
    },
    rolldownOptions: {
      // The lazy chunks import what they share with the entry (Lit, the base elements)
      // from the entry itself, which therefore exports a few extra names.
      preserveEntrySignatures: 'allow-extension',
      output: {
        minify: true,
        // Lazily loaded chunks carry a content hash, so the BFF may cache them forever.
        chunkFileNames: '[name]-[hash].js',
        // Everything the entry imports statically stays in the entry: without this group
        // the bundler moves code shared with the lazy chunks into a common chunk, a second
        // file every page would have to fetch before anything renders.
        codeSplitting: { groups: [{ name: 'backup-health', tags: ['$initial'] }] },
      },
    },
  },
});
