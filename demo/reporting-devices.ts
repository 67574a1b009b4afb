/**
 * Simulated devices that report the way real tools do (docs/ingest.md), so the demo shows all
 * three paths live: a NAS whose backup script pings its ping URL (`/start`, then
 * success with its log, now and then a failing exit status), a Veeam server whose job
 * mails its report (through nodemailer to our own SMTP listener), an unknown laptop
 * that pings with `?create=1` (the discovery inbox), and one report mail nothing
 * claims (the unmatched list). Two more devices, `borgmatic-demo` and `restic-demo`,
 * wait for your own borgmatic and restic (docs/ingest.md, "Try it on the demo").
 */
import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';

export const REPORTING_CLIENT = 'demo-reporting';
/** Ping slugs enrolled for the real tools docs/ingest.md points at the demo. */
export const REAL_TOOL_SLUGS = { borgmatic: 'borgmatic', restic: 'restic' } as const;
const NAS_SLUG = 'nas-01';
const MINUTE = 60_000;
const VEEAM_OBJECTS = ['VBR-DC01', 'VBR-SQL01'];

export interface ReportingOptions {
  /** The demo's base URL (the BFF's ping URLs live at its root). */
  url: string;
  adminKey: string;
  /** The SMTP listener on loopback. */
  mailPort: number;
  /** Tick interval; 0: ticks only when `tick()` is called (tests). */
  intervalMs: number;
  onError?: (error: unknown) => void;
}

export interface ReportingDevices {
  pingUrlBase: string;
  mailAddress: string;
  /** One round: the NAS pings, the Veeam server mails. */
  tick(): Promise<void>;
  stats: { pings: number; mails: number };
  stop(): Promise<void>;
}

export async function startReportingDevices(options: ReportingOptions): Promise<ReportingDevices> {
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${options.url}/api/v1/${path}`, {
      method,
      headers: { Authorization: `Bearer ${options.adminKey}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} /api/v1/${path} answered ${response.status}: ${await response.text()}`);
    return response.json() as Promise<any>;
  };
  await api('PUT', `clients/${REPORTING_CLIENT}`, { name: 'Reporting demo (ping & mail)' });
  // Every minute, as the crontab lines in docs/ingest.md for borgmatic and restic run (demo pace); retries of one minute merge.
  await api('PUT', 'policies/demo-reporting', {
    name: 'Reports by ping or mail (cron * * * * *, demo pace)',
    schedule: { kind: 'cron', expression: '* * * * *' },
    graceHours: 0.1,
    merge: 'per-run',
    mergeRule: 'last',
  });
  const enrol = (id: string, name: string, pingSlug?: string) =>
    api('PUT', `devices/${id}`, { clientId: REPORTING_CLIENT, name, kind: 'server', policyId: 'demo-reporting', ...(pingSlug ? { pingSlug } : {}) });
  await enrol('nas-01-ping', 'NAS-01 (pings)', NAS_SLUG);
  await enrol('borgmatic-demo', 'borgmatic (your own)', REAL_TOOL_SLUGS.borgmatic);
  await enrol('restic-demo', 'restic (your own)', REAL_TOOL_SLUGS.restic);
  for (const name of VEEAM_OBJECTS) await enrol(name.toLowerCase(), name);

  const ingest = (await api('GET', 'settings/ingest')) as { pingKey: string; mailAddress: string };
  const pingUrlBase = `${options.url}/ping/${ingest.pingKey}`;
  const mailAddress = ingest.mailAddress;
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: options.mailPort, secure: false, ignoreTLS: true });
  const stats = { pings: 0, mails: 0 };
  let round = 0;

  const ping = async (path: string, body?: string) => {
    const response = await fetch(`${pingUrlBase}/${path}`, { method: body === undefined ? 'GET' : 'POST', body });
    if (!response.ok) throw new Error(`ping ${path} answered ${response.status}`);
    stats.pings += 1;
  };
  const mail = async (subject: string, html: string | undefined, text?: string, from = 'veeam@vbr01.demo.local') => {
    await transport.sendMail({ from, to: mailAddress, subject, ...(html ? { html } : {}), ...(text ? { text } : {}) });
    stats.mails += 1;
  };

  // Once: an unknown device in the discovery inbox, and a report mail no parser knows.
  await ping('new-laptop-7?create=1');
  await mail('Hyper Backup task "Office share" on nas-02 has failed', undefined, 'Hyper Backup task "Office share" failed: destination unreachable. Write a keyword rule in Settings → Ingest to read these.', 'noreply@nas-02.demo.local');

  async function tick(): Promise<void> {
    round += 1;
    const rid = randomUUID();
    await ping(`${NAS_SLUG}/start?rid=${rid}`);
    // Every fifth run fails, as `… ; curl …/$?` sends a script's non-zero exit status.
    if (round % 5 === 0) await ping(`${NAS_SLUG}/2?rid=${rid}`, 'rsync: connection unexpectedly closed (code 12)\n');
    else await ping(`${NAS_SLUG}?rid=${rid}`, `nightly rsync finished: ${1_000 + round} files, 2.${round % 10} GB\n`);
    const warning = round % 4 === 0;
    await mail(`[${warning ? 'Warning' : 'Success'}] Demo Servers (${VEEAM_OBJECTS.length} VMs)${warning ? ' 1 warning' : ' 0 issues'}`, veeamReport(warning));
  }

  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  const run = () => (running = tick().catch((error) => options.onError?.(error)));
  let first: NodeJS.Timeout | null = null;
  if (options.intervalMs > 0) {
    // At the slot, as cron would start the script: a few seconds past the minute, then every interval.
    const wait = options.intervalMs === MINUTE ? MINUTE - (Date.now() % MINUTE) + 5_000 : 0;
    first = setTimeout(() => {
      void run();
      timer = setInterval(run, options.intervalMs);
    }, wait);
  }
  return {
    pingUrlBase,
    mailAddress,
    tick,
    stats,
    stop: async () => {
      if (first) clearTimeout(first);
      if (timer) clearInterval(timer);
      await running;
      transport.close();
    },
  };
}

/**
 * A Veeam Backup & Replication job notification as the product lays it out: a per-object
 * table (Name, Status, Start time, End time, Size, Details). Times are left to the
 * message's Date header (the parser's fallback), which keeps the demo free of time zones.
 */
function veeamReport(warning: boolean): string {
  const cell = (text: string) => `<td nowrap="" style="padding: 2px 3px;border: 1px solid #a7a9ac;font-family: Tahoma;font-size: 12px;">${text}</td>`;
  const rows = VEEAM_OBJECTS.map((name, index) => {
    const warn = warning && index === 1;
    return `<tr>${[name, warn ? 'Warning' : 'Success', '', '', `${40 + index * 20} GB`, warn ? 'Changed block tracking is disabled' : ''].map(cell).join('')}</tr>`;
  });
  return `<html><body><table border="0" style="border-collapse: collapse;">
<tr><td colspan="6" style="background-color:${warning ? '#ffd96c' : '#00B050'};color:white;font-weight:bold;">Backup job: Demo Servers — ${warning ? 'Warning' : 'Success'}</td></tr>
<tr>${['Name', 'Status', 'Start time', 'End time', 'Size', 'Details'].map((h) => cell(`<b>${h}</b>`)).join('')}</tr>
${rows.join('\n')}
</table></body></html>`;
}
