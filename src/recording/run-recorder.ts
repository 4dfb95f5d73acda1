import type { RunSnapshot } from '../model';
import type { Indexer, IndexerStats } from '../journal/indexer';
import { RunIndex } from '../journal/run-index';
import type { SnapshotStore } from '../journal/snapshot-store';
import type { SyncHints } from '../provenance/snapshot-sync';
import { crashPoint } from '../util/crash-point';

/** Collaborators of {@link RunRecorder}. */
export interface RunRecorderParts {
  /** The on-disk index of completed runs; default one over the snapshots' runs folder. */
  index?: RunIndex;
  /** The drain of the journal into DuckDB; none in a journal-only tracker (a later normal tracker re-syncs at open). */
  indexer?: Indexer;
}

/**
 * Persists runs journal-first, the same in every lock mode: a pending marker (and the run's folder), then the atomic
 * snapshot, then (completed runs) the on-disk {@link RunIndex} entries — the commit point — and
 * hands the snapshot to the {@link Indexer}, which commits the DB rows later, many runs per
 * transaction, and clears the marker. A DB failure is logged and never loses the run: the marker
 * stays, and {@link resyncPending} (run on every open) and `consist db rebuild` sync it later.
 */
export class RunRecorder {
  private readonly index: RunIndex;
  private readonly indexer: Indexer | undefined;
  private observer: ((snapshot: RunSnapshot) => Promise<void>) | undefined;
  /** Runs persisted as `running` by this recorder: their marker and folder exist (a final persist skips both). */
  private readonly marked = new Set<string>();

  constructor(private readonly snapshots: SnapshotStore, parts: RunRecorderParts = {}) {
    this.index = parts.index ?? new RunIndex(snapshots.runDir);
    this.indexer = parts.indexer;
  }

  /** Writes the pending marker, the snapshot and the run-index entries, then queues the DB rows. */
  async persist(snapshot: RunSnapshot, hints: SyncHints = {}): Promise<void> {
    const id = snapshot.run.id;
    crashPoint('persist:before-pending');
    // The marker of a run this recorder already marked stays until its final snapshot is committed.
    if (!this.marked.has(id)) await this.snapshots.prepare(id);
    crashPoint('persist:after-pending');
    if (snapshot.run.status === 'running') this.marked.add(id);
    else this.marked.delete(id);
    await this.snapshots.write(snapshot, { folderReady: true });
    crashPoint('persist:after-snapshot');
    await this.index.record(snapshot);
    await this.observer?.(snapshot); // must not throw (OpenLineageEmitter logs its own failures)
    this.indexer?.add(snapshot, hints);
  }

  /** Calls `observer` with every snapshot once it is written (live OpenLineage events); composition root only. */
  observe(observer: (snapshot: RunSnapshot) => Promise<void>): void {
    this.observer = observer;
  }

  /** Syncs every snapshot with a pending marker into the DB (one unit, none when nothing is pending). Returns how many were synced. */
  async resyncPending(): Promise<number> {
    return (await this.indexer?.resync()) ?? 0;
  }

  /** Diagnostics: the indexer's batches and attempts; `null` for a journal-only tracker. */
  get stats(): IndexerStats | null {
    return this.indexer ? { ...this.indexer.stats } : null;
  }

  /**
   * The read barrier (`tracker.drain()`): commits every run this process persisted and every
   * pending snapshot of the folder before it returns. Journal-only: returns at once (the journal
   * is the record).
   */
  async drain(): Promise<void> {
    await this.indexer?.drain(true);
  }

  /** Commits what waits before the tracker closes; a failure is a warning (the markers stay). */
  async flush(): Promise<void> {
    await this.indexer?.flush();
  }
}
