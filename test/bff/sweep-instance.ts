/**
 * A second BFF instance in its own process, for the multi-instance sweep tests:
 * `node --import tsx sweep-instance.ts <databaseUrl> <instanceId> <now> <sweep|runOnce>`.
 * It opens the database, reports "ready" over IPC, waits for "go", runs the sweep at
 * `now` and sends back what it did.
 */
import { createApp } from '../../bff/app.ts';
import { DEFAULT_CONFIG } from '../../bff/context.ts';
import { openDatabase } from '../../bff/db/client.ts';

const [url, instanceId, nowText, mode] = process.argv.slice(2);
const now = Number(nowText);
const db = openDatabase({ url: url! });
const { services } = createApp({ db, clock: () => now, config: { ...DEFAULT_CONFIG, integrationNetworks: 'any' }, instanceId: instanceId! });
const { sweeper } = services;

process.once('message', async () => {
  const summary = mode === 'runOnce' ? await sweeper.runOnce(now) : await sweeper.sweep(now);
  await db.close();
  process.send!({ ran: summary !== null, evaluated: summary?.evaluated ?? 0, opened: summary?.alertsOpened.length ?? 0 }, undefined, {}, () => process.exit(0));
});
process.send!('ready');
