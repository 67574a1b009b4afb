/**
 * Group commit: batches submitted in the same turn of the event loop (50 connections
 * posting at once, thousands of pings at 22:00) are stored in one transaction, in
 * submission order, each inside its own savepoint — a batch that is refused (422)
 * is rolled back alone and fails alone. One commit instead of one per request: the
 * pages every batch touches (the jobs indexes, the queue) are written once.
 */
import type { Database, SqlExecutor } from '../../db/client.ts';
import type { IngestResult, Ingestor, ParsedBatch } from './index.ts';

/** What a submission stores: built inside the shared transaction, so it sees the batches before it. */
export interface Submission {
  tenantId: string;
  batch: ParsedBatch;
  now: number;
}

interface Waiting {
  prepare: (tx: SqlExecutor) => Promise<Submission>;
  resolve: (result: IngestResult) => void;
  reject: (error: unknown) => void;
}

interface Stored {
  result: IngestResult;
  submission: Submission;
}

export class GroupCommit {
  private waiting: Waiting[] = [];

  constructor(
    private readonly db: Database,
    private readonly ingestor: Pick<Ingestor, 'ingestIn' | 'committed'>,
  ) {}

  /** Stores what `prepare` builds (queued for evaluation), with whatever else is submitted in this turn. */
  submit(prepare: (tx: SqlExecutor) => Promise<Submission>): Promise<IngestResult> {
    return new Promise<IngestResult>((resolve, reject) => {
      this.waiting.push({ prepare, resolve, reject });
      if (this.waiting.length === 1) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const group = this.waiting;
    this.waiting = [];
    let outcomes: (Stored | { error: unknown })[];
    try {
      outcomes = await this.db.transaction(async (tx) => {
        const done: (Stored | { error: unknown })[] = [];
        for (const { prepare } of group) done.push(group.length === 1 ? await this.store(tx, prepare) : await this.storeInSavepoint(tx, prepare));
        return done;
      });
    } catch (error) {
      // The shared transaction itself failed (not one batch): every batch fails with it, as it would have alone.
      for (const { reject } of group) reject(error);
      return;
    }
    outcomes.forEach((outcome, i) => {
      const { resolve, reject } = group[i]!;
      if ('error' in outcome) return reject(outcome.error);
      this.ingestor.committed(outcome.result, outcome.submission.batch.events);
      resolve(outcome.result);
    });
  }

  /** A group of one needs no savepoint: its failure is the transaction's. */
  private async store(tx: SqlExecutor, prepare: Waiting['prepare']): Promise<Stored> {
    const submission = await prepare(tx);
    return { result: await this.ingestor.ingestIn(tx, submission.tenantId, submission.batch, submission.now), submission };
  }

  private async storeInSavepoint(tx: SqlExecutor, prepare: Waiting['prepare']): Promise<Stored | { error: unknown }> {
    await tx.run('SAVEPOINT ingest_batch');
    try {
      const submission = await prepare(tx);
      const result = await this.ingestor.ingestIn(tx, submission.tenantId, submission.batch, submission.now);
      await tx.run('RELEASE ingest_batch');
      return { result, submission };
    } catch (error) {
      await tx.run('ROLLBACK TO ingest_batch');
      await tx.run('RELEASE ingest_batch');
      return { error };
    }
  }
}
