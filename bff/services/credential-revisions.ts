/**
 * A tenant's credentials revision (`tenants.credentials_revision`), which every
 * revocation, signing-secret rotation and PSA key change raises in the database.
 * A cached credential is used only while the revision it was read at is still the
 * tenant's: that is what makes a revocation immediate on every instance.
 *
 * Requests that ask at the same time share one read, but never a read that started
 * before they arrived (it could predate a revocation they must see): a caller joins
 * the next read, which starts once the event loop has taken in the requests that
 * arrived with it (setImmediate), or after the read in flight. Under load one read
 * then answers every request of a turn of the loop instead of one read each.
 */
import type { Database } from '../db/client.ts';

const REVISION_SQL = 'SELECT credentials_revision AS revision FROM tenants WHERE id = ?';

interface Reads {
  inFlight: Promise<number | null> | null;
  /** The next read, not started yet: callers join it. */
  queued: Promise<number | null> | null;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class CredentialRevisions {
  private readonly reads = new Map<string, Reads>();

  constructor(private readonly db: Database) {}

  /** The tenant's revision as of a read that started after this call; null when the tenant is gone. */
  current(tenantId: string): Promise<number | null> {
    let reads = this.reads.get(tenantId);
    if (!reads) {
      reads = { inFlight: null, queued: null };
      this.reads.set(tenantId, reads);
    }
    if (reads.queued) return reads.queued;
    const run = () => this.start(tenantId, reads);
    reads.queued = (reads.inFlight ?? nextTurn()).then(run, run);
    return reads.queued;
  }

  private start(tenantId: string, reads: Reads): Promise<number | null> {
    reads.queued = null;
    const read = this.db.get<{ revision: number }>(REVISION_SQL, [tenantId]).then((row) => (row ? Number(row.revision) : null));
    reads.inFlight = read;
    const settle = () => {
      if (reads.inFlight === read) reads.inFlight = null;
      if (!reads.inFlight && !reads.queued) this.reads.delete(tenantId);
    };
    read.then(settle, settle);
    return read;
  }
}
