/**
 * The practical limit of this stack for a ping: a bare Hono endpoint that finds the
 * device by ping key and slug and inserts one row, each with one reused `libsql`
 * prepared statement (no validation, no interpretation, no evaluation), in its own
 * process, over the same database as the BFF.
 *   node --import tsx bench/children/ping-bare.ts <db file>
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { openNative } from '../lib/util.ts';

const [dbPath] = process.argv.slice(2);
if (!dbPath) throw new Error('usage: ping-bare.ts <db file>');
const db = openNative(dbPath);
db.exec('PRAGMA journal_mode = WAL');
db.exec('PRAGMA busy_timeout = 10000');
// As the product's driver opens it (bff/db/local.ts), so the two pay the same commit cost.
db.exec('PRAGMA synchronous = NORMAL');
db.exec('CREATE TABLE IF NOT EXISTS bench_bare_pings (device_id TEXT NOT NULL, at INTEGER NOT NULL)');
const find = db.prepare('SELECT d.id FROM tenants t JOIN devices d ON d.tenant_id = t.id WHERE t.ping_key = ? AND d.ping_slug = ?');
const insert = db.prepare('INSERT INTO bench_bare_pings (device_id, at) VALUES (?, ?)');

const app = new Hono().get('/ping/:key/:slug', (c) => {
  const device = find.get(c.req.param('key'), c.req.param('slug')) as { id: string } | undefined;
  if (!device) return c.text('not found', 404);
  insert.run(device.id, Date.now());
  return c.text('OK');
});
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
server.once('listening', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`READY ${JSON.stringify({ url: `http://127.0.0.1:${port}`, pid: process.pid })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
