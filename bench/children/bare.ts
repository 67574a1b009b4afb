/**
 * The practical limit of this stack for a list page: a bare Hono endpoint answering a
 * 50-row page from one reused `libsql` prepared statement (no auth, no validation, no
 * mapping), in its own process, over the same database.
 *   node --import tsx bench/children/bare.ts <db file> <tenant id>
 * GET /devices?client=<id> answers the client's page; without it, the tenant's.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { openNative } from '../lib/util.ts';

const [dbPath, tenantId] = process.argv.slice(2);
if (!dbPath || !tenantId) throw new Error('usage: bare.ts <db file> <tenant id>');
const db = openNative(dbPath);
db.exec('PRAGMA journal_mode = WAL');
db.exec('PRAGMA busy_timeout = 10000');
const select = `SELECT d.id, d.name, d.kind, d.client_id, c.name AS client_name, d.policy_id, p.name AS policy_name, p.interval_hours,
  d.status, d.score, d.last_success_at, d.last_job_status, d.consecutive_failures, d.used_bytes, d.effective_quota_bytes
  FROM devices d LEFT JOIN clients c ON c.tenant_id = d.tenant_id AND c.id = d.client_id
  LEFT JOIN policies p ON p.tenant_id = d.tenant_id AND p.id = d.policy_id`;
const page = db.prepare(`${select} WHERE d.tenant_id = ? AND d.retired_at IS NULL ORDER BY d.score, d.id LIMIT 50`);
const clientPage = db.prepare(`${select} WHERE d.tenant_id = ? AND d.client_id = ? AND d.retired_at IS NULL ORDER BY d.score, d.id LIMIT 50`);

const app = new Hono().get('/devices', (c) => {
  const client = c.req.query('client');
  return c.json({ items: client ? clientPage.all(tenantId, client) : page.all(tenantId), nextCursor: null });
});
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
server.once('listening', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`READY ${JSON.stringify({ url: `http://127.0.0.1:${port}`, pid: process.pid })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
