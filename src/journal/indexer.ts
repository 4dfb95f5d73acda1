import { DatabaseLockedError } from '../errors';
import type { RunSnapshot } from '../model';
import type { Database } from '../provenance/database';
import { ConnectionExecutor, type SqlExecutor } from '../provenance/executor';
import type { SyncHints } from '../provenance/snapshot-sync';
import { crashPoint } from '../util/crash-point';
import type { Logger } from '../util/logger';
import { commitBatch, type BatchEntry, type BatchResult } from './batch-commit';
import { registerIndexer } from './open-indexers';
import { ownerAlive, ownerGone, scanPending, type PendingWork } from './pending-scan';
import type { RunIndex } from './run-index';
import type { SnapshotStore } from './snapshot-store';

/** Timings of the {@link Indexer}; defaults depend on the lock mode (see {@link Indexer}). */
export interface IndexerOptions {
  /** Quiet time after a persist before a background commit (exclusive 50 ms; shared 200 ms, jittered). */
  delayMs?: number;
  /** Longest a queued persist waits while more keep arriving (exclusive 1000 ms; shared = `delayMs`: a fixed window). */
  maxDelayMs?: number;
  /** A queue this large is committed at once. Default 1000 runs. */
  maxBatch?: number;
  /** Shared mode: how long after a busy attempt (another process held the lock) to try again. Default 300 ms, jittered. */
  retryMs?: number;
}

/** Counters of one {@link Indexer}, for diagnostics. */
export interface IndexerStats {
  /** Persists handed to {@link Indexer.add}. */
  queued: number;
  /** Committed batches, and runs committed by them (own and, in a folder scan, other processes'). */
  batches: number; synced: number;
  /** Batches in which the DB refused some run (its marker stays). */
  failed: number;
  /** Background attempts: run, found the lock busy (shared), found nothing to do. */
  attempts: number; busy: number; idle: number;
  /** Commits at `close()`. */
  flushes: number;
}

/** The files the indexer reads and clears. */
export interface IndexerFiles { snapshots: SnapshotStore; index: RunIndex }

const jitter = (ms: number) => Math.round(ms * (0.5 + Math.random()));

/**
 * The ONE drain of the journal into DuckDB, for every lock mode. A persist writes its pending
 * marker, snapshot and index entries (the commit point) and hands the snapshot to {@link add}: an
 * in-memory queue that spares re-reading this process's own snapshots from the pending folder. A
 * debounced background attempt, the read barrier {@link drain}, {@link flush} at close and
 * {@link resync} at open all commit through {@link commitOn}: one transaction for the batch
 * (idempotent rows), each run alone when the DB refuses the batch, then the markers of final
 * snapshots are cleared. A run the DB keeps refusing keeps its marker (re-synced at the next open).
 *
 * The lock mode only changes the policy, not the path:
 * - `exclusive` (this process is the file's only writer): this process's `running` snapshots are
 *   committed too (their markers stay until the final state is committed), "fresh" hints are
 *   trusted, the debounce keeps the process alive (a script without `close()` still commits),
 *   and the implicit barrier does not scan the pending folder (no one else commits).
 * - `shared` (several processes take turns): every commit also folds the pending snapshots of
 *   every process (a group commit); background attempts try the lock once (`waitMs: 0`) and retry
 *   later when it is busy; this process's `running` snapshots are left for their final state.
 * A marker is cleared only when its snapshot is final (or a dead owner's last state) and no newer
 * persist of the run is queued; a run's final persist is its last.
 * @internal
 */
export class Indexer {
  readonly stats: IndexerStats = { queued: 0, batches: 0, synced: 0, failed: 0, attempts: 0, busy: 0, idle: 0, flushes: 0 };
  private queue = new Map<string, BatchEntry>();
  private stored = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private firstQueuedAt: number | undefined;
  private windowMs = 0;
  private attempting: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly soleWriter: boolean;
  private readonly opts: Required<IndexerOptions>;
  private readonly unregister: () => void;

  constructor(private readonly db: Database, private readonly files: IndexerFiles, private readonly logger: Logger, options: IndexerOptions = {}) {
    this.soleWriter = db.lockMode === 'exclusive';
    const delayMs = options.delayMs ?? (this.soleWriter ? 50 : 200);
    this.opts = {
      delayMs, maxDelayMs: Math.max(delayMs, options.maxDelayMs ?? (this.soleWriter ? 1000 : delayMs)),
      maxBatch: options.maxBatch ?? 1000, retryMs: options.retryMs ?? 300,
    };
    this.unregister = registerIndexer(db.file, this); // maintenance in this process drains it explicitly
  }

  /** How many of this process's runs wait for their DB rows. */
  get size(): number {
    return this.queue.size;
  }

  /** Queues a snapshot (already on disk with its marker) and arms a background commit when it can be committed. */
  add(snapshot: RunSnapshot, hints: SyncHints = {}): void {
    const id = snapshot.run.id;
    const earlier = this.queue.get(id);
    this.queue.delete(id); // re-queued last: a later snapshot's rows win, as in syncSnapshots
    // Another process may have committed an earlier state (shared): only the sole writer trusts "fresh".
    this.queue.set(id, { snapshot, fresh: this.soleWriter && (earlier ? earlier.fresh : hints.fresh === true) });
    if (this.soleWriter) for (const a of hints.storedArtifactIds ?? []) this.stored.add(a);
    this.stats.queued++;
    if (this.committable(snapshot)) this.schedule();
  }

  /**
   * The read barrier: commits every run of this process queued so far (and, in `shared` mode or
   * with `folder`, every pending snapshot of the runs folder) before it returns. One DB unit; none
   * when nothing waits. Returns how many runs were committed. Throws only when the DB cannot be
   * locked in time (`DB_LOCKED`); a refused run is logged and stays pending.
   */
  async drain(folder = !this.soleWriter): Promise<number> {
    await this.attempting;
    if (this.db.isClosed) return 0;
    const work = folder ? await scanPending(this.files.snapshots, this.logger, { skip: this.queue }) : undefined;
    if (!this.hasQueued() && !hasWork(work)) return 0;
    return this.db.withConnection((conn) => this.commitOn(new ConnectionExecutor(conn), work), { background: true });
  }

  /** Commits every pending snapshot of the folder and this process's queue (`Tracker.open`, sweeps folding workers' runs). */
  resync(): Promise<number> {
    return this.drain(true);
  }

  /**
   * Stops background attempts and commits what waits, waiting for the lock up to the Database's
   * deadline (`tracker.close()`). A failure is logged, not thrown: the snapshots stay pending and
   * the next open (of any process) syncs them.
   */
  async flush(): Promise<void> {
    this.stopped = true;
    this.unregister();
    clearTimeout(this.timer);
    this.timer = undefined;
    try {
      if (await this.drain()) this.stats.flushes++;
    } catch (err) {
      this.logger.warn(`Could not commit pending runs to the database before closing; their snapshots are kept ` +
        `and will be synced on the next open (or \`consist db rebuild\`): ${(err as Error).message.split('\n')[0]}`);
    }
  }

  /**
   * Commits the queue's committable runs and `folder`'s ready snapshots on `conn` (inside a unit,
   * outside any transaction), then clears the markers of what is final. Never throws.
   */
  private async commitOn(conn: SqlExecutor, folder: PendingWork | undefined): Promise<number> {
    const entries = this.take();
    const stored = this.stored;
    this.stored = new Set();
    const own = new Set(entries.map((e) => e.snapshot.run.id));
    const others = (folder?.ready ?? []).filter((s) => !own.has(s.run.id));
    const result = await commitBatch(conn, [...entries, ...others.map((snapshot) => ({ snapshot, fresh: false }))], stored);
    crashPoint('index:after-commit');
    this.report(result);
    const committed = new Set(result.committed);
    const clearable = result.committed.filter((s) => (s.run.status !== 'running' || ownerGone(s.run)) && !this.queue.has(s.run.id));
    await Promise.all([
      // A live owner indexes its own runs; a dead one may have died between snapshot and index.
      ...others.filter((s) => committed.has(s) && !ownerAlive(s.run)).map((s) => this.files.index.record(s)),
      ...clearable.map((s) => this.files.snapshots.clearPending(s.run.id)),
      ...(folder?.drop ?? []).map((id) => this.files.snapshots.clearPending(id)),
    ]).catch((err: Error) => {
      // The rows are in; a marker left behind is re-synced (idempotently) later, an index entry re-written.
      this.logger.warn(`Could not clear pending markers after a database commit: ${err.message.split('\n')[0]}`);
    });
    crashPoint('index:after-clear-pending');
    return result.committed.length;
  }

  private report(result: BatchResult): void {
    if (result.committed.length) this.stats.batches++;
    this.stats.synced += result.committed.length;
    if (!result.failed.length) return;
    this.stats.failed++;
    const ids = `${result.failed.slice(0, 5).join(', ')}${result.failed.length > 5 ? ', …' : ''}`;
    this.logger.warn(`Database sync failed for ${result.failed.length} run(s) (${ids}); their snapshots are kept and will be ` +
      `synced on the next open (or \`consist db rebuild\`): ${result.lastError?.message.split('\n')[0] ?? ''}`);
  }

  /** Removes and returns the queue's committable entries (a `running` one stays in `shared` mode). */
  private take(): BatchEntry[] {
    const taken: BatchEntry[] = [];
    for (const [id, entry] of this.queue) {
      if (!this.committable(entry.snapshot)) continue;
      taken.push(entry);
      this.queue.delete(id);
    }
    this.firstQueuedAt = undefined;
    return taken;
  }

  private committable(snapshot: RunSnapshot): boolean {
    return this.soleWriter || snapshot.run.status !== 'running';
  }

  private hasQueued(): boolean {
    for (const entry of this.queue.values()) if (this.committable(entry.snapshot)) return true;
    return false;
  }

  /**
   * Debounced (a burst is one batch: one commit instead of many competing with the steps' own
   * fsyncs), but never past `maxDelayMs` after the first queued persist, nor past `maxBatch`.
   */
  private schedule(): void {
    if (this.stopped) return;
    const now = Date.now();
    if (this.firstQueuedAt === undefined) {
      this.firstQueuedAt = now;
      this.windowMs = this.soleWriter ? this.opts.maxDelayMs : jitter(this.opts.maxDelayMs);
    }
    const quiet = this.soleWriter ? this.opts.delayMs : this.windowMs;
    const due = this.queue.size >= this.opts.maxBatch ? 0 : Math.min(quiet, this.firstQueuedAt + this.windowMs - now);
    this.arm(Math.max(0, due));
  }

  private arm(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.attempting = this.attempting.then(() => this.attempt());
    }, ms);
    // Exclusive: not unref'd, so a script that ends without `tracker.close()` still commits its last
    // runs (the process lives ≤ delayMs longer). Shared: a busy lock must not keep a process alive.
    if (!this.soleWriter) this.timer.unref();
  }

  /** One background attempt: `shared` tries the lock once and retries later when another process holds it. */
  private async attempt(): Promise<void> {
    if (this.stopped || this.db.isClosed) return;
    try {
      const work = this.soleWriter ? undefined : await scanPending(this.files.snapshots, this.logger, { skip: this.queue });
      if (!this.hasQueued() && !hasWork(work)) {
        this.stats.idle++;
        return;
      }
      this.stats.attempts++;
      await this.db.withConnection((conn) => this.commitOn(new ConnectionExecutor(conn), work),
        { background: true, waitMs: this.soleWriter ? undefined : 0 });
    } catch (err) {
      if (err instanceof DatabaseLockedError) this.stats.busy++;
      else this.logger.debug(`Background commit attempt failed: ${(err as Error).message.split('\n')[0]}`);
      this.firstQueuedAt = undefined; // a persist meanwhile opens a new window instead of retrying at once
      if (!this.stopped && !this.db.isClosed) this.arm(jitter(this.opts.retryMs));
    }
  }
}

const hasWork = (work: PendingWork | undefined) => !!work && (work.ready.length > 0 || work.drop.length > 0);
