/**
 * `npm run serve`: the BFF alone, configured only by the environment (README "Configuration").
 * The only entry that reads process.env and opens a port.
 */
import { readEnvironment } from './env.ts';
import { log } from './log.ts';
import { startBff } from './start.ts';

const environment = readEnvironment();
const bff = await startBff(environment);
log.info('Backup Health BFF listening', { url: bff.url, database: environment.databaseUrl.replace(/\/\/[^@]*@/, '//***@') });

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    bff.close().then(
      () => process.exit(0),
      (error) => {
        log.error('shutdown failed', { error: String(error) });
        process.exit(1);
      },
    );
  });
}
