import type { RunSnapshot } from '../model';
import { inTransaction, type SqlExecutor } from '../provenance/executor';
import { syncSnapshots } from '../provenance/snapshot-sync';
import { crashPoint } from '../util/crash-point';

/** One snapshot of a batch and what is known about its rows. @internal */
export interface BatchEntry {
  snapshot: RunSnapshot;
  /** The run has never been written to the DB (its rows need no DELETE first). */
  fresh: boolean;
}

/** What {@link commitBatch} got into the DB. @internal */
export interface BatchResult {
  committed: RunSnapshot[];
  /** Runs the DB refused even alone; their markers stay. */
  failed: string[];
  /** The last refusal, for the warning. */
  lastError?: Error;
}

/**
 * Commits `entries` in one transaction (a few multi-row statements per table). If the DB refuses
 * it — one bad snapshot, or a wrong "fresh" hint — each run is committed alone with the hints that
 * are always right (its old rows deleted first), so one bad run holds back nothing.
 * `stored`: artifact ids already rows of this DB (not re-inserted). Never throws.
 * @internal
 */
export async function commitBatch(conn: SqlExecutor, entries: readonly BatchEntry[], stored: ReadonlySet<string>): Promise<BatchResult> {
  if (!entries.length) return { committed: [], failed: [] };
  const known = entries.filter((e) => !e.fresh).map((e) => e.snapshot);
  const fresh = entries.filter((e) => e.fresh).map((e) => e.snapshot);
  try {
    await inTransaction(conn, async () => {
      await syncSnapshots(conn, known, { storedArtifactIds: stored });
      await syncSnapshots(conn, fresh, { fresh: true, storedArtifactIds: stored });
      crashPoint('index:before-commit');
    });
    return { committed: entries.map((e) => e.snapshot), failed: [] };
  } catch (err) {
    return commitOneByOne(conn, entries.map((e) => e.snapshot), stored, err as Error);
  }
}

async function commitOneByOne(conn: SqlExecutor, snaps: RunSnapshot[], stored: ReadonlySet<string>, batchError: Error): Promise<BatchResult> {
  const result: BatchResult = { committed: [], failed: [], lastError: batchError };
  for (const snap of snaps) {
    try {
      await inTransaction(conn, () => syncSnapshots(conn, [snap], { storedArtifactIds: stored }));
      result.committed.push(snap);
    } catch (err) {
      result.failed.push(snap.run.id);
      result.lastError = err as Error;
    }
  }
  return result;
}
