import type { RunSnapshot } from '../model';
import type { Database } from '../provenance/database';
import { ConnectionExecutor } from '../provenance/executor';
import type { GroupCommit, GroupCommitStats } from '../journal/group-commit';
import { PendingSync, type PendingSyncStats } from '../journal/pending-sync';
import { RunIndex } from '../journal/run-index';
import type { SnapshotStore } from '../journal/snapshot-store';
import type { WriteBehind } from '../journal/write-behind';
import type { SyncHints } from '../provenance/snapshot-sync';
import type { Logger } from '../util/logger';
import { crashPoint } from '../util/crash-point';

/**
 * Collaborators of {@link RunRecorder}. At most one strategy says how rows reach the DB:
 * `writeBehind` (`exclusive` lock mode: committed by the next DB unit or a debounce) or
 * `groupCommit` (`shared` mode: one transaction syncs every process's pending snapshots); none in
 * a journal-only tracker (the pending markers wait for a normal tracker's re-sync at open).
 */
export type RunRecorderParts = RunRecorderFiles &
  ({ writeBehind: WriteBehind; groupCommit?: undefined } | { groupCommit: GroupCommit; writeBehind?: undefined } |
    { writeBehind?: undefined; groupCommit?: undefined });

/** The on-disk parts of {@link RunRecorderParts}; defaults are built over the snapshots' runs folder. */
export interface RunRecorderFiles {
  /** The on-disk index of completed runs; default one over the snapshots' runs folder. */
  index?: RunIndex;
  /** The pending-marker sync; default one over `snapshots` and `index`. */
  pending?: PendingSync;
}

/**
 * Persists runs JSON-first: a pending marker, then the atomic snapshot, then (completed runs) the
 * on-disk {@link RunIndex} entries, then the DB rows; the marker is cleared only when the DB
 * confirmed. In `exclusive` lock mode a {@link WriteBehind} commits the rows before the next DB
 * unit (or after a short debounce), many persists per transaction; in `shared` mode a
 * {@link GroupCommit} syncs every process's pending snapshots in one transaction. A DB failure is logged and never loses the run: {@link resyncPending} (run on every
 * open) and `consist db rebuild` sync it later.
 */
export class RunRecorder {
  private readonly index: RunIndex;
  private readonly pending: PendingSync;
  private readonly groupCommit: GroupCommit | undefined;
  private readonly writeBehind: WriteBehind | undefined;
  private observer: ((snapshot: RunSnapshot) => Promise<void>) | undefined;

  constructor(
    private readonly snapshots: SnapshotStore,
    private readonly db: Database,
    logger: Logger,
    parts: RunRecorderParts,
  ) {
    this.index = parts.index ?? new RunIndex(snapshots.runDir);
    this.pending = parts.pending ?? new PendingSync(snapshots, this.index, logger);
    this.groupCommit = parts.groupCommit;
    this.writeBehind = parts.writeBehind;
  }

  /**
   * Writes the pending marker, the snapshot and the run-index entries, then queues the DB rows
   * (`exclusive`: {@link WriteBehind}) or schedules a group commit (`shared`). A DB failure later
   * is logged and never loses the run (the marker stays).
   */
  async persist(snapshot: RunSnapshot, hints: SyncHints = {}): Promise<void> {
    const id = snapshot.run.id;
    const behind = this.writeBehind;
    behind?.reserve(id);
    try {
      crashPoint('persist:before-pending');
      await this.snapshots.markPending(id);
      crashPoint('persist:after-pending');
      await this.snapshots.write(snapshot);
      crashPoint('persist:after-snapshot');
      await this.index.record(snapshot);
      await this.observer?.(snapshot); // must not throw (OpenLineageEmitter logs its own failures)
      if (this.groupCommit) {
        if (snapshot.run.status !== 'running') this.groupCommit.schedule();
      } else {
        behind?.add(snapshot, hints);
      }
    } finally {
      behind?.release(id);
    }
  }

  /** Calls `observer` with every snapshot once it is written (live OpenLineage events); composition root only. */
  observe(observer: (snapshot: RunSnapshot) => Promise<void>): void {
    this.observer = observer;
  }

  /** Syncs every snapshot with a pending marker into the DB (one unit). Returns how many were synced. */
  async resyncPending(): Promise<number> {
    if (this.db.journalOnly) return 0;
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

  /**
   * The read barrier: commits every run this process persisted (and every pending snapshot the
   * DB has not confirmed) before it returns, so a following DB read sees them. One DB unit, none
   * when nothing is pending.
   */
  async drain(): Promise<void> {
    if (this.db.isClosed || this.db.journalOnly) return; // journal-only: durable on disk, nothing to wait for
    if (this.writeBehind) {
      await this.writeBehind.flush();
      return;
    }
    if (await this.pending.hasWork()) await this.db.withConnection(async () => undefined);
  }

  /** Commits everything pending before the tracker closes (group commit or write-behind queue). */
  async flush(): Promise<void> {
    await this.groupCommit?.flush();
    await this.writeBehind?.flush();
  }
}
