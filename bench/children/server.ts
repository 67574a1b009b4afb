/**
 * The BFF as the read benchmark runs it: `startBff` in its own process over the bench
 * database (no background work, so the figures are the request path alone).
 *   node --import tsx bench/children/server.ts <db file> [widgets dir]
 * Prints `READY {"url", "pid"}` on stdout; SIGTERM closes it gracefully.
 */
import { readEnvironment } from '../../bff/env.ts';
import { startBff } from '../../bff/start.ts';

const [dbPath, widgetsDir = 'dist/widgets'] = process.argv.slice(2);
if (!dbPath) throw new Error('usage: server.ts <db file> [widgets dir]');
const environment = readEnvironment({
  DATABASE_URL: `file:${dbPath}`,
  PORT: '0',
  HOST: '127.0.0.1',
  BHM_WIDGETS_DIR: widgetsDir,
  BHM_LOG_LEVEL: 'warn',
});
const bff = await startBff(environment, { background: false });
process.stdout.write(`READY ${JSON.stringify({ url: bff.url, pid: process.pid })}\n`);
process.on('SIGTERM', () => {
  bff.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
