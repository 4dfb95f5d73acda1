import type { RunSnapshot } from '../model';
import { crashPoint } from '../util/crash-point';
import type { Logger } from '../util/logger';
import type { Database } from '../provenance/database';
import { inTransaction, type SqlExecutor } from '../provenance/executor';
import type { SnapshotStore } from './snapshot-store';
import { syncSnapshots } from '../provenance/snapshot-sync';

/** Timings of {@link WriteBehind}. */
export interface WriteBehindOptions {
  /** Quiet time after the last queued persist before the batch is committed (later ones join it). Default 50 ms. */
  delayMs?: number;
  /**
   * Longest time a persist waits while more keep arriving (a tight loop of steps never pauses for
   * `delayMs`). Default 1000 ms; with {@link maxBatch} it bounds the queue's memory.
   */
  maxDelayMs?: number;
  /** A batch this large is committed at once. Default 1000 runs. */
  maxBatch?: number;
  /** Told of each queued snapshot before its rows exist (the produced-at cache drops what it could change). */
  onAdd?: (snapshot: RunSnapshot) => void;
}

/** Counters of one {@link WriteBehind}, for diagnostics. */
export interface WriteBehindStats { queued: number; batches: number; failed: number }

/** What {@link WriteBehind.add} is told about a snapshot (see `SyncHints`). */
export interface BehindHints {
  /** The run has never been written to the DB (a new id). */
  fresh?: boolean;
  /** Artifact ids already rows of this DB (a cache hit's outputs): not re-inserted. */
  storedArtifactIds?: ReadonlySet<string>;
}

interface Queued { snapshot: RunSnapshot; fresh: boolean }

/**
 * `exclusive` lock mode's write-behind of every run persist (cache hits, executed steps, scenario
 * headers, manual runs). A persist writes its pending marker and atomic snapshot (the truth) and
 * {@link add}s it here; its DB rows are committed in one transaction per batch by {@link commitOn},
 * which the composition root installs as the Database's unit prelude, so EVERY DB unit (queries,
 * views, `sql`, id checks) first commits what is queued (read-your-writes). A short debounce and
 * `tracker.close()` ({@link flush}) commit the rest. Only this process writes the file in
 * `exclusive` mode, so nothing else can miss the rows. A crash loses nothing: the markers stay and
 * the next open re-syncs their snapshots.
 *
 * A run persisted twice before a commit (running, then completed) is queued once, its latest
 * snapshot, and stays fresh. A marker is cleared after the commit only when no newer persist of
 * that run is queued or under way ({@link reserve}), so a commit in flight never clears the marker
 * of a snapshot it did not write.
 * @internal
 */
export class WriteBehind {
  readonly stats: WriteBehindStats = { queued: 0, batches: 0, failed: 0 };
  private queue = new Map<string, Queued>();
  private stored = new Set<string>();
  private readonly writing = new Map<string, number>();
  private inFlight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private firstQueuedAt: number | undefined;
  private readonly delayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxBatch: number;
  private readonly onAdd: ((snapshot: RunSnapshot) => void) | undefined;

  constructor(
    private readonly db: Database,
    private readonly snapshots: SnapshotStore,
    private readonly logger: Logger,
    options: WriteBehindOptions = {},
  ) {
    this.delayMs = options.delayMs ?? 50;
    this.maxDelayMs = Math.max(this.delayMs, options.maxDelayMs ?? 1000);
    this.maxBatch = options.maxBatch ?? 1000;
    this.onAdd = options.onAdd;
  }

  /** How many runs wait for their DB rows. */
  get size(): number {
    return this.queue.size;
  }

  /** A persist of run `id` starts writing its marker and snapshot; pair with {@link release}. */
  reserve(id: string): void {
    this.writing.set(id, (this.writing.get(id) ?? 0) + 1);
  }

  /** The persist of run `id` that called {@link reserve} is done (queued or failed). */
  release(id: string): void {
    const left = (this.writing.get(id) ?? 1) - 1;
    if (left > 0) this.writing.set(id, left);
    else this.writing.delete(id);
  }

  /** Queues a snapshot (already on disk with its marker) and (re)arms the debounce. */
  add(snapshot: RunSnapshot, hints: BehindHints = {}): void {
    this.onAdd?.(snapshot);
    const id = snapshot.run.id;
    const earlier = this.queue.get(id);
    this.queue.delete(id); // re-queued last: a later snapshot's rows win, as in syncSnapshots
    this.queue.set(id, { snapshot, fresh: earlier ? earlier.fresh : hints.fresh === true });
    for (const a of hints.storedArtifactIds ?? []) this.stored.add(a);
    this.stats.queued++;
    // Debounced (a burst is one batch: under a steady stream of steps, one commit instead of many
    // competing with the steps' own fsyncs), but never past maxDelayMs or maxBatch.
    const now = Date.now();
    this.firstQueuedAt ??= now;
    const due = this.queue.size >= this.maxBatch ? 0 : Math.min(this.delayMs, this.firstQueuedAt + this.maxDelayMs - now);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.queue.size && !this.db.isClosed) {
        this.db.withConnection(async () => undefined, { background: true }).catch(() => undefined);
      }
    }, Math.max(0, due));
    // Not unref'd: a script that ends without `tracker.close()` still commits its last runs (the
    // process lives ≤ delayMs longer) instead of leaving them to the next open's re-sync.
  }

  /**
   * Commits everything queued on `conn` (inside a unit, outside any transaction), then clears the
   * markers. Never throws: a failed batch stays pending on disk and is re-synced at the next open.
   */
  async commitOn(conn: SqlExecutor): Promise<void> {
    // Another Database object's unit on the same file waits for a commit already under way.
    await this.inFlight;
    if (!this.queue.size) return;
    const commit = this.commitQueued(conn);
    this.inFlight = commit;
    try {
      await commit;
    } finally {
      if (this.inFlight === commit) this.inFlight = undefined;
    }
  }

  private async commitQueued(conn: SqlExecutor): Promise<void> {
    const batch = [...this.queue.values()];
    const stored = this.stored;
    this.queue = new Map();
    this.firstQueuedAt = undefined;
    this.stored = new Set();
    const fresh = batch.filter((q) => q.fresh).map((q) => q.snapshot);
    const known = batch.filter((q) => !q.fresh).map((q) => q.snapshot);
    let committed = batch.map((q) => q.snapshot);
    try {
      await inTransaction(conn, async () => {
        await syncSnapshots(conn, known, { storedArtifactIds: stored });
        await syncSnapshots(conn, fresh, { fresh: true, storedArtifactIds: stored });
        crashPoint('behind:before-commit');
      });
    } catch (err) {
      // One bad snapshot (or a wrong "fresh" hint) must not hold back the rest: each run alone,
      // with the hints that are always right (delete its old rows first).
      committed = await this.commitOneByOne(conn, committed, stored, err as Error);
    }
    crashPoint('behind:after-commit');
    if (committed.length) this.stats.batches++;
    const done = committed.map((s) => s.run.id).filter((id) => !this.queue.has(id) && !this.writing.has(id));
    await Promise.all(done.map((id) => this.snapshots.clearPending(id)));
    crashPoint('behind:after-clear-pending');
  }

  /** Commits each snapshot in its own transaction; returns those committed, warns about the rest. */
  private async commitOneByOne(conn: SqlExecutor, snaps: RunSnapshot[], stored: ReadonlySet<string>, batchError: Error): Promise<RunSnapshot[]> {
    const committed: RunSnapshot[] = [];
    const failed: string[] = [];
    let lastError = batchError;
    for (const snap of snaps) {
      try {
        await inTransaction(conn, () => syncSnapshots(conn, [snap], { storedArtifactIds: stored }));
        committed.push(snap);
      } catch (err) {
        failed.push(snap.run.id);
        lastError = err as Error;
      }
    }
    if (failed.length) {
      this.stats.failed++;
      this.logger.warn(`Database sync failed for ${failed.length} run(s) (${failed.slice(0, 5).join(', ')}${failed.length > 5 ? ', …' : ''}); ` +
        `their snapshots are kept and will be synced on the next open (or \`consist db rebuild\`): ${lastError.message.split('\n')[0]}`);
    }
    return committed;
  }

  /** Commits what is queued now (at `tracker.close()`); a failure is logged by {@link commitOn}. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.queue.size || this.db.isClosed) return;
    await this.db.withConnection(async () => undefined, { background: true });
  }
}
