import type { RunSnapshot } from '../model';
import type { Database } from '../store/database';
import { ConnectionExecutor } from '../store/executor';
import type { GroupCommit, GroupCommitStats } from '../store/group-commit';
import { PendingSync, type PendingSyncStats } from '../store/pending-sync';
import { RunIndex } from '../store/run-index';
import type { SnapshotStore } from '../store/snapshot-store';
import type { WriteBehind } from '../store/write-behind';
import { syncSnapshot, type SyncHints } from '../store/snapshot-sync';
import type { Logger } from '../util/logger';
import { crashPoint } from '../util/crash-point';

/** Optional collaborators of {@link RunRecorder}; the composition root passes all of them. */
export interface RunRecorderParts {
  /** The on-disk index of completed runs; default one over the snapshots' runs folder. */
  index?: RunIndex;
  /** The pending-marker sync; default one over `snapshots` and `index`. */
  pending?: PendingSync;
  /** Present in `shared` lock mode: persists only schedule a group commit instead of a DB unit each. */
  groupCommit?: GroupCommit;
  /** `exclusive` lock mode: cache hits are written behind (DB rows committed by the next unit or a debounce). */
  writeBehind?: WriteBehind;
}

/**
 * Persists runs JSON-first: a pending marker, then the atomic snapshot, then (completed runs) the
 * on-disk {@link RunIndex} entries, then the DB rows; the marker is cleared only when the DB
 * confirmed. In `exclusive` lock mode the DB write is one transaction per persist, except for
 * cache hits, which a {@link WriteBehind} commits before the next DB unit. In `shared`
 * mode it is deferred to a {@link GroupCommit} that syncs every process's pending snapshots in one
 * transaction. A DB failure is logged and never loses the run: {@link resyncPending} (run on every
 * open) and `consist db rebuild` sync it later.
 */
export class RunRecorder {
  private readonly index: RunIndex;
  private readonly pending: PendingSync;
  private readonly groupCommit: GroupCommit | undefined;
  private readonly writeBehind: WriteBehind | undefined;

  constructor(
    private readonly snapshots: SnapshotStore,
    private readonly db: Database,
    private readonly logger: Logger,
    parts: RunRecorderParts = {},
  ) {
    this.index = parts.index ?? new RunIndex(snapshots.runDir);
    this.pending = parts.pending ?? new PendingSync(snapshots, this.index, logger);
    this.groupCommit = parts.groupCommit;
    this.writeBehind = parts.writeBehind;
  }

  /**
   * Writes the snapshot, then the DB rows (`exclusive`) or schedules a group commit (`shared`).
   * Returns false when the DB write failed (the run is still safe on disk).
   */
  async persist(snapshot: RunSnapshot, hints: SyncHints = {}): Promise<boolean> {
    const id = snapshot.run.id;
    crashPoint('persist:before-pending');
    await this.snapshots.markPending(id);
    crashPoint('persist:after-pending');
    await this.snapshots.write(snapshot);
    crashPoint('persist:after-snapshot');
    await this.index.record(snapshot.run);
    if (this.groupCommit) {
      if (snapshot.run.status !== 'running') this.groupCommit.schedule();
      return true;
    }
    if (this.writeBehind && hints.fresh && snapshot.run.cacheHit && snapshot.run.status === 'completed') {
      this.writeBehind.add(snapshot, hints.storedArtifactIds);
      return true;
    }
    return this.syncOne(snapshot, hints);
  }

  /** Syncs every snapshot with a pending marker into the DB (one unit). Returns how many were synced. */
  async resyncPending(): Promise<number> {
    if (!(await this.pending.hasWork())) return 0; // shared mode: no open when nothing is pending
    const before = this.pending.stats.synced;
    // In shared mode the unit's prelude already ran the same sync.
    await this.db.withConnection((conn) => this.pending.syncOn(new ConnectionExecutor(conn)));
    return this.pending.stats.synced - before;
  }

  /** Diagnostics: pending-sync batches (every mode) and group-commit attempts (`shared` mode). */
  get stats(): { pending: PendingSyncStats; groupCommit: GroupCommitStats | null } {
    return { pending: { ...this.pending.stats }, groupCommit: this.groupCommit ? { ...this.groupCommit.stats } : null };
  }

  /** Commits everything pending before the tracker closes (group commit or write-behind queue). */
  async flush(): Promise<void> {
    await this.groupCommit?.flush();
    await this.writeBehind?.flush();
  }

  private async syncOne(snapshot: RunSnapshot, hints: SyncHints): Promise<boolean> {
    const id = snapshot.run.id;
    try {
      await this.db.transaction(async (tx) => {
        crashPoint('persist:in-transaction');
        await syncSnapshot(tx, snapshot, hints);
        crashPoint('persist:before-commit');
      });
    } catch (err) {
      this.logger.warn(`Database sync failed for run ${id}; its snapshot is kept and will be synced on the next ` +
        `open (or \`consist db rebuild\`): ${(err as Error).message.split('\n')[0]}`);
      return false;
    }
    crashPoint('persist:after-commit');
    await this.snapshots.clearPending(id);
    crashPoint('persist:after-clear-pending');
    return true;
  }
}
