// Widget tests in real headless Chromium against a real BFF: before the run a child
// process (test/widgets/real-bff.ts) starts the BFF on a temp libSQL file, seeds a fleet
// through the HTTP API and mints the tokens; the tests read them from /__bh-test-env.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';

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

/** Starts the real BFF before the run, stops it after, and serves `GET /__bh-test-env`. */
function realBff() {
  let child;
  let env;
  const stopChild = () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  return {
    name: 'backup-health-real-bff',
    async serverStart() {
      child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./test/widgets/real-bff.ts', import.meta.url))], {
        cwd: fileURLToPath(new URL('.', import.meta.url)),
        stdio: ['pipe', 'pipe', 'pipe'],
        env: { ...process.env, BHM_LOG_LEVEL: process.env.BHM_LOG_LEVEL ?? 'warn' },
      });
      process.once('exit', stopChild);
      let stderr = '';
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
        if (process.env.BHM_LOG_LEVEL) process.stderr.write(chunk);
      });
      env = await new Promise((resolve, reject) => {
        let stdout = '';
        const timer = setTimeout(() => reject(new Error(`The test BFF was not ready within 60 s.\n${stderr}`)), 60_000);
        child.stdout.on('data', (chunk) => {
          stdout += chunk;
          const line = /^BH_TEST_ENV (.*)$/m.exec(stdout);
          if (line) {
            clearTimeout(timer);
            resolve(JSON.parse(line[1]));
          }
        });
        child.once('exit', (code, signal) => {
          clearTimeout(timer);
          reject(new Error(`The test BFF exited (${signal ?? code}) before it was ready.\n${stderr}`));
        });
      });
      child.on('exit', (code, signal) => {
        if (code !== 0 && signal !== 'SIGTERM') process.stderr.write(`The test BFF exited (${signal ?? code}).\n${stderr}\n`);
      });
    },
    serve(context) {
      if (context.path === '/__bh-test-env') return { body: JSON.stringify(env), type: 'json' };
    },
    async serverStop() {
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      stopChild();
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    },
  };
}

export default {
  files: ['test/widgets/**/*.test.ts'],
  nodeResolve: true,
  concurrency: 2,
  testsFinishTimeout: 180_000,
  testFramework: { config: { timeout: 20_000 } },
  plugins: [
    realBff(),
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
