/**
 * Starts the three loopback stand-ins the demo points the BFF at — The One PSA,
 * On-Call and an SMTP inbox (demo/standins/) — and gives the demo pages plain,
 * newest-first views of what they received.
 */
import { startOnCallStandIn, type OnCallStandIn } from './standins/oncall.ts';
import { startPsaStandIn, type PsaStandIn } from './standins/psa.ts';
import { startSmtpInbox, type SmtpInbox } from './standins/smtp-inbox.ts';

export interface TicketView {
  id: string;
  priority: string;
  type: string;
  summary: string;
  client: string;
  device: string;
  status: 'open' | 'resolved';
  note: string | null;
  /** The ticket's history: notes, resolutions and reopenings, oldest first. */
  notes: { at: string; kind: 'note' | 'resolved' | 'reopened'; text: string | null }[];
  reopenedAt: string | null;
  openedAt: string;
  resolvedAt: string | null;
  lastSuccessfulBackupAt: string | null;
  jobLogUrl: string | null;
}

export interface PageView {
  id: string;
  receivedAt: string;
  action: 'trigger' | 'resolve';
  /** A trigger that joined the incident already triggered under its dedupKey. */
  retrigger: boolean;
  severity: string;
  summary: string;
  client: string;
  device: string;
  breachHours: number | null;
  escalationPolicy: string;
  dedupKey: string;
  link: string | null;
}

export interface MailView {
  id: string;
  receivedAt: string;
  from: string;
  to: string[];
  subject: string;
  html: string | null;
  text: string | null;
}

export interface StandIns {
  psaUrl: string;
  onCallUrl: string;
  smtpUrl: string;
  psa: PsaStandIn;
  onCall: OnCallStandIn;
  inbox: SmtpInbox;
  tickets(): TicketView[];
  pages(): PageView[];
  mails(): MailView[];
  close(): Promise<void>;
}

/** Only same-site http(s) links are handed to the pages (they become hrefs). */
const safeLink = (value: unknown): string | null => (typeof value === 'string' && /^https?:\/\//.test(value) ? value : null);

export async function startStandIns(keys: { psaKey: string; onCallKey: string }): Promise<StandIns> {
  const [psa, onCall, inbox] = await Promise.all([startPsaStandIn({ key: keys.psaKey }), startOnCallStandIn({ key: keys.onCallKey }), startSmtpInbox()]);
  return {
    psaUrl: psa.url,
    onCallUrl: onCall.url,
    smtpUrl: inbox.url,
    psa,
    onCall,
    inbox,
    tickets: () =>
      psa.tickets
        .map((t) => ({
          id: t.id,
          priority: t.priority,
          type: t.type,
          summary: t.summary,
          client: t.client?.name ?? '',
          device: t.device?.name ?? '',
          status: t.status,
          note: t.note,
          notes: t.notes.map((n) => ({ at: n.at, kind: n.kind, text: n.text })),
          reopenedAt: t.reopenedAt,
          openedAt: t.createdAt,
          resolvedAt: t.resolvedAt,
          lastSuccessfulBackupAt: t.lastSuccessfulBackupAt,
          jobLogUrl: safeLink(t.jobLogUrl),
        }))
        .reverse(),
    pages: () =>
      onCall.pages
        .map((p, index) => ({
          id: `${index}`,
          receivedAt: p.receivedAt,
          action: p.action,
          retrigger: p.retrigger,
          severity: p.severity,
          summary: p.summary,
          client: p.client?.name ?? '',
          device: p.device?.name ?? '',
          breachHours: typeof p.breachHours === 'number' ? p.breachHours : null,
          escalationPolicy: p.escalationPolicy,
          dedupKey: p.dedupKey,
          link: safeLink(p.link),
        }))
        .reverse(),
    mails: () =>
      inbox.received
        .map((m, index) => ({ id: m.messageId ?? `${index}`, receivedAt: m.receivedAt, from: m.from, to: m.to, subject: m.subject, html: m.html, text: m.text }))
        .reverse(),
    async close() {
      await Promise.all([psa.close(), onCall.close(), inbox.close()]);
    },
  };
}
