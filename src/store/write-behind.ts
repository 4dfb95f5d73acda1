import type { RunSnapshot } from '../model';
import { crashPoint } from '../util/crash-point';
import type { Logger } from '../util/logger';
import type { Database } from './database';
import type { SqlExecutor } from './executor';
import type { SnapshotStore } from './snapshot-store';
import { syncSnapshots } from './snapshot-sync';

/** Timings of {@link WriteBehind}. */
export interface WriteBehindOptions {
  /** How long after the last queued hit the rows are committed (more hits join the batch). Default 50 ms. */
  delayMs?: number;
  /** Told of each queued snapshot before its rows exist (the produced-at cache drops what it could change). */
  onAdd?: (snapshot: RunSnapshot) => void;
}

/** Counters of one {@link WriteBehind}, for diagnostics. */
export interface WriteBehindStats { queued: number; batches: number; failed: number }

/**
 * `exclusive` lock mode's write-behind of cache-hit runs. A hit's persist writes its pending
 * marker and atomic snapshot (the truth) and {@link add}s it here; its DB rows are committed in one
 * transaction per batch by {@link commitOn}, which the composition root installs as the Database's
 * unit prelude, so EVERY DB unit (queries, views, `sql`, the next miss) first commits what is
 * queued (read-your-writes). A short debounce and `tracker.close()` ({@link flush}) commit the
 * rest. Only this process writes the file in `exclusive` mode, so nothing else can miss the rows.
 * A crash loses nothing: the markers stay and the next open re-syncs their snapshots. Hits are
 * fresh runs whose outputs are rows already (their ids are passed as stored), like a direct sync.
 * @internal
 */
export class WriteBehind {
  readonly stats: WriteBehindStats = { queued: 0, batches: 0, failed: 0 };
  private queue: RunSnapshot[] = [];
  private stored = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private readonly delayMs: number;
  private readonly onAdd: ((snapshot: RunSnapshot) => void) | undefined;

  constructor(
    private readonly db: Database,
    private readonly snapshots: SnapshotStore,
    private readonly logger: Logger,
    options: WriteBehindOptions = {},
  ) {
    this.delayMs = options.delayMs ?? 50;
    this.onAdd = options.onAdd;
  }

  /** True while snapshots wait for their DB rows. */
  get size(): number {
    return this.queue.length;
  }

  /** Queues a fresh final snapshot (already on disk with its marker) and (re)arms the debounce. */
  add(snapshot: RunSnapshot, storedArtifactIds: ReadonlySet<string> = new Set()): void {
    this.onAdd?.(snapshot);
    this.queue.push(snapshot);
    for (const id of storedArtifactIds) this.stored.add(id);
    this.stats.queued++;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.queue.length && !this.db.isClosed) {
        this.db.withConnection(async () => undefined, { keepsCaches: true }).catch(() => undefined);
      }
    }, this.delayMs);
    this.timer.unref();
  }

  /**
   * Commits everything queued on `conn` (inside a unit, outside any transaction), then clears the
   * markers. Never throws: a failed batch stays pending on disk and is re-synced at the next open.
   */
  async commitOn(conn: SqlExecutor): Promise<void> {
    if (!this.queue.length) return;
    const batch = this.queue;
    const stored = this.stored;
    this.queue = [];
    this.stored = new Set();
    try {
      await conn.run('BEGIN TRANSACTION');
      try {
        await syncSnapshots(conn, batch, { fresh: true, storedArtifactIds: stored });
        crashPoint('behind:before-commit');
        await conn.run('COMMIT');
      } catch (err) {
        await conn.run('ROLLBACK').catch(() => undefined);
        throw err;
      }
    } catch (err) {
      this.stats.failed++;
      this.logger.warn(`Database sync failed for ${batch.length} cache-hit run(s); their snapshots are kept and will be ` +
        `synced on the next open (or \`consist db rebuild\`): ${(err as Error).message.split('\n')[0]}`);
      return;
    }
    this.stats.batches++;
    await Promise.all(batch.map((s) => this.snapshots.clearPending(s.run.id)));
  }

  /** Commits what is queued now (at `tracker.close()`); a failure is logged by {@link commitOn}. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.queue.length || this.db.isClosed) return;
    await this.db.withConnection(async () => undefined, { keepsCaches: true });
  }
}
