import { DatabaseLockedError } from '../errors';
import type { Logger } from '../util/logger';
import type { Database } from '../provenance/database';
import type { PendingSync } from './pending-sync';

/** Timings of {@link GroupCommit}. */
export interface GroupCommitOptions {
  /** How long after a final persist the first attempt runs (more runs join the batch). Default 200 ms. */
  windowMs?: number;
  /** How long after a busy attempt (another process held the lock) to try again. Default 300 ms. */
  retryMs?: number;
}

/** Counters of one {@link GroupCommit}, for diagnostics. */
export interface GroupCommitStats { attempts: number; busy: number; idle: number; flushes: number }

const jitter = (ms: number) => Math.round(ms * (0.5 + Math.random()));

/**
 * `shared` lock mode's write path. A persist only writes the snapshot and its pending marker and
 * calls {@link schedule}; a timer then tries the DB lock ONCE (`waitMs: 0`). When it gets the
 * lock, the Database's unit prelude ({@link PendingSync.syncOn}) commits every pending snapshot of
 * every process in one transaction; when another process holds the lock, that process is most
 * likely committing our snapshots already, and we look again later. {@link flush} (at
 * `tracker.close()`) waits for the lock with the normal deadline, so a process's runs are in the
 * DB when it exits. An attempt with nothing to commit never opens the DB.
 * @internal
 */
export class GroupCommit {
  readonly stats: GroupCommitStats = { attempts: 0, busy: 0, idle: 0, flushes: 0 };
  private readonly windowMs: number;
  private readonly retryMs: number;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly db: Database,
    private readonly pending: PendingSync,
    private readonly logger: Logger,
    options: GroupCommitOptions = {},
  ) {
    this.windowMs = options.windowMs ?? 200;
    this.retryMs = options.retryMs ?? 300;
  }

  /** Asks for a commit attempt soon; a no-op while one is already scheduled. */
  schedule(delayMs = this.windowMs): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.inFlight = this.inFlight.then(() => this.attempt());
    }, jitter(delayMs));
    this.timer.unref();
  }

  /**
   * Stops scheduling and commits everything pending, waiting for the lock up to the Database's
   * deadline. A lock timeout is logged, not thrown: the snapshots stay pending and the next open
   * (of any process) syncs them.
   */
  async flush(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
    if (this.db.isClosed || !(await this.pending.hasWork())) return;
    this.stats.flushes++;
    try {
      await this.db.withConnection(async () => undefined, { background: true });
    } catch (err) {
      this.logger.warn(`Could not commit pending runs to the database before closing; their snapshots are kept ` +
        `and will be synced on the next open (or \`consist db rebuild\`): ${(err as Error).message.split('\n')[0]}`);
    }
  }

  private async attempt(): Promise<void> {
    if (this.stopped || this.db.isClosed) return;
    if (!(await this.pending.hasWork())) {
      this.stats.idle++;
      return;
    }
    this.stats.attempts++;
    try {
      await this.db.withConnection(async () => undefined, { waitMs: 0, background: true });
    } catch (err) {
      if (err instanceof DatabaseLockedError) {
        this.stats.busy++;
        this.schedule(this.retryMs);
        return;
      }
      this.logger.debug(`Group commit attempt failed: ${(err as Error).message.split('\n')[0]}`);
      this.schedule(this.retryMs);
    }
  }
}
