/**
 * Mail ingestion as one running unit for start.ts: the inbox over the app's
 * ingestor, the SMTP listener on `port`, and the hourly purge of mail older than
 * the retention.
 */
import type { AppDeps } from '../../context.ts';
import { log } from '../../log.ts';
import type { Ingestor } from '../../services/ingest/index.ts';
import { MailInbox } from './inbox.ts';
import { startMailListener, type MailListener } from './listener.ts';
import { tenantMailboxResolver } from './mailbox.ts';

const PURGE_INTERVAL_MS = 3_600_000;

export interface RunningMailIngest {
  inbox: MailInbox;
  listener: MailListener;
  close(): Promise<void>;
}

/** Starts the listener on `host:port` (port 0 picks a free one). */
export async function startMailIngest(
  deps: Pick<AppDeps, 'db' | 'clock' | 'config'>,
  ingestor: Ingestor,
  port: number,
  host?: string,
  /** The app's inbox (the one its `/mail` routes read); a new one over `ingestor` when absent. */
  inbox: MailInbox = new MailInbox({ db: deps.db, ingestor, clock: deps.clock, tenantForMailbox: tenantMailboxResolver(deps.db), clockSkewMs: deps.config.clockSkewMs }),
): Promise<RunningMailIngest> {
  const listener = await startMailListener({ inbox, port, host });
  const purge = () =>
    inbox.purgeExpired().then(
      (deleted) => deleted > 0 && log.info('expired mail deleted', { deleted }),
      (error) => log.warn('mail purge failed', { error: String(error) }),
    );
  const timer = setInterval(purge, PURGE_INTERVAL_MS);
  timer.unref();
  void purge();
  return {
    inbox,
    listener,
    async close() {
      clearInterval(timer);
      await listener.close();
    },
  };
}
