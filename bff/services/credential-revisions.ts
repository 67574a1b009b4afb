/**
 * A tenant's credentials revision (`tenants.credentials_revision`), which every
 * revocation, signing-secret rotation and PSA key change raises in the database.
 * A cached credential is used only while the revision it was read at is still the
 * tenant's: that is what makes a revocation immediate on every instance.
 *
 * Requests that ask at the same time share one read, but never a read that started
 * before they arrived (it could predate a revocation they must see): a caller
 * joins the read queued behind the one in flight.
 */
import type { Database } from '../db/client.ts';

const REVISION_SQL = 'SELECT credentials_revision AS revision FROM tenants WHERE id = ?';

interface Reads {
  inFlight: Promise<number | null> | null;
  queued: Promise<number | null> | null;
}

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
    if (!reads.inFlight) return this.start(tenantId, reads);
    const run = () => this.start(tenantId, reads);
    reads.queued = reads.inFlight.then(run, run);
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
