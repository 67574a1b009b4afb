// Widget tests in real headless Chromium. The API is served by the in-memory fixture
// (test/widgets/fixture-api.mjs) until the real BFF runs beside these tests.
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { createFixtureApi } from './test/widgets/fixture-api.mjs';

/**
 * papaparse ships only a UMD build; the dev server serves modules as they are, so wrap
 * it as an ES module with a default export (Vite does the same at build time).
 */
const papaparseAsEsm = {
  name: 'papaparse-as-esm',
  transform(context) {
    if (/\/node_modules\/papaparse\/papaparse(\.min)?\.js$/.test(context.path)) {
      return { body: `const module = { exports: {} }; const exports = module.exports;\n${context.body}\nexport default module.exports;` };
    }
  },
};

export default {
  files: ['test/widgets/**/*.test.ts'],
  nodeResolve: true,
  concurrency: 2,
  testsFinishTimeout: 180_000,
  testFramework: { config: { timeout: 20_000 } },
  middleware: [createFixtureApi()],
  plugins: [
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)) }),
    papaparseAsEsm,
  ],
  browsers: [
    chromeLauncher({
      // Each page in its own browser context (its own window): with two test files at a
      // time, a second tab in one window is hidden, its requestAnimationFrame stalls and
      // fixtures that wait a frame never settle.
      createPage: async ({ browser }) => (await browser.createBrowserContext()).newPage(),
      launchOptions: {
        executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      },
    }),
  ],
};
