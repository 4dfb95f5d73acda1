import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { DatabaseLockedError, StoreError } from '../errors';
import { BackoffTimeout, retryWithBackoff } from '../util/backoff';
import { ConnectionExecutor, inTransaction, type SqlExecutor, type SqlParams, type SqlRow } from './executor';
import { InstanceRegistry } from './instance-registry';
import { isLockConflict, lockHolder } from './lock-error';
import { migrate } from './migrations';

/**
 * How the tracker holds the DuckDB file lock.
 * - `exclusive`: open once, hold until close (fastest; one process at a time).
 * - `shared`: open for each unit of work and close right after, retrying on lock conflicts, so
 *   several processes (a parameter sweep) can take turns on one file. The tracker then keeps the
 *   DB off the step path (on-disk lookups, the indexer's group commit; docs/architecture.md §Concurrency).
 */
export type DbLockMode = 'exclusive' | 'shared';

/** Options of {@link Database.open}. */
export interface DatabaseOptions {
  lockMode?: DbLockMode;
  /** How long to wait for another process's lock before {@link DatabaseLockedError}. Default 30 000. */
  lockTimeoutMs?: number;
  /**
   * Open `access_mode=READ_ONLY` for each unit of work (implies `shared`): no migration at open,
   * no unit preludes; writes are refused by DuckDB. Default false.
   */
  readOnly?: boolean;
}

/** Options of one unit of work. */
export interface UnitOptions {
  /**
   * `shared` mode: how long to wait for another process's lock before {@link DatabaseLockedError};
   * default the Database's `lockTimeoutMs`. `0` tries once (the indexer's background attempt).
   */
  waitMs?: number;
  /**
   * A commit of the journal by the indexer (its debounce, the read barrier, close): counted
   * in {@link LockStats.commits}, not {@link LockStats.units}.
   */
  background?: boolean;
}

/**
 * What services run DB work through: the {@link Database} itself, or a reader that first drains
 * the journal into it (the read barrier, `journal/read-barrier.ts`).
 */
export interface DbUnits extends SqlExecutor {
  /** Runs `fn` with a connection, serialized with every other unit of work. */
  withConnection<T>(fn: (conn: DuckDBConnection) => Promise<T>, options?: UnitOptions): Promise<T>;
  /** Runs `fn` inside BEGIN … COMMIT; any error rolls the whole unit back. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>, options?: UnitOptions): Promise<T>;
  /** Units started so far (foreground and background): while it is unchanged, nothing ran in this process. */
  readonly unitSerial: number;
  /** This process is the file's only writer (`exclusive` lock mode): no other process changes it. */
  readonly soleWriter: boolean;
  /** Returns once what this process recorded is readable (the read barrier; nothing for the raw database). */
  settle(): Promise<void>;
}

/** `shared` mode: how long the lock is kept after a unit in case another follows at once. */
const SHARED_LINGER_MS = 10;
/** `shared` mode: the longest the lock is kept across back-to-back units. */
const SHARED_MAX_HOLD_MS = 100;

interface Held { instance: DuckDBInstance; connection: DuckDBConnection }

/**
 * How often and how long this Database waited for the file lock (diagnostics for sweeps).
 * `acquisitions` counts DuckDB opens; `busy` counts units that gave up because another process
 * held the lock past their `waitMs` (the indexer's one-shot attempts with `waitMs: 0`).
 */
export interface LockStats {
  acquisitions: number; contended: number; waitedMs: number; maxWaitMs: number; busy: number;
  /** Units of work run (every mode) other than background commits: the step path of a cache hit runs none. */
  units: number;
  /** Background commit units (see {@link UnitOptions.background}). */
  commits: number;
}

/**
 * The provenance database: one DuckDB file, migrated on open, accessed through serialized units
 * of work. The only class that opens DuckDB connections for metadata.
 */
export class Database implements DbUnits {
  private held: Held | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private heldSince = 0;
  private lingerTimer: NodeJS.Timeout | undefined;
  /** Lock acquisitions so far; in `shared` mode one per open of the file. */
  readonly lockStats: LockStats = { acquisitions: 0, contended: 0, waitedMs: 0, maxWaitMs: 0, busy: 0, units: 0, commits: 0 };

  private constructor(readonly file: string, private readonly opts: Required<DatabaseOptions>, readonly journalOnly = false) {}

  /**
   * Opens (and migrates) the database, waiting for another process's lock up to the deadline. A
   * `readOnly` database is not touched until its first unit of work.
   */
  static async open(file: string, options: DatabaseOptions = {}): Promise<Database> {
    const readOnly = options.readOnly === true;
    const db = new Database(file, { lockMode: readOnly ? 'shared' : options.lockMode ?? 'exclusive', lockTimeoutMs: options.lockTimeoutMs ?? 30_000, readOnly });
    if (!readOnly) await db.withConnection((conn) => migrate(new ConnectionExecutor(conn)));
    return db;
  }

  /**
   * A handle that never opens DuckDB (a journal-only tracker): every unit of work throws
   * `JOURNAL_ONLY`, so a call that needs the database says to open a normal tracker instead.
   */
  static detached(file: string): Database {
    return new Database(file, { lockMode: 'shared', lockTimeoutMs: 0, readOnly: false }, true);
  }

  /** Opened with {@link DatabaseOptions.readOnly}: every unit opens the file `READ_ONLY`. */
  get readOnly(): boolean {
    return this.opts.readOnly;
  }

  get lockMode(): DbLockMode {
    return this.opts.lockMode;
  }

  get unitSerial(): number {
    return this.lockStats.units + this.lockStats.commits;
  }

  get soleWriter(): boolean {
    return this.opts.lockMode === 'exclusive' && !this.opts.readOnly && !this.journalOnly;
  }

  async settle(): Promise<void> {
    // The raw database has no barrier: what it commits is readable once the unit returns.
  }

  /** Runs `fn` with a connection, serialized with every other unit of work of this Database. */
  withConnection<T>(fn: (conn: DuckDBConnection) => Promise<T>, options: UnitOptions = {}): Promise<T> {
    const next = this.queue.then(() => this.runUnit(fn, options));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Runs `fn` inside BEGIN … COMMIT; any error rolls the whole unit back. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>, options: UnitOptions = {}): Promise<T> {
    return this.withConnection((conn) => {
      const tx = new ConnectionExecutor(conn);
      return inTransaction(tx, () => fn(tx));
    }, options);
  }

  all<T extends SqlRow = SqlRow>(sql: string, params?: SqlParams): Promise<T[]> {
    return this.withConnection((conn) => new ConnectionExecutor(conn).all<T>(sql, params));
  }

  run(sql: string, params?: SqlParams): Promise<void> {
    return this.withConnection((conn) => new ConnectionExecutor(conn).run(sql, params));
  }

  /** Releases the file lock. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.lingerTimer);
    await this.queue;
    await this.release();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private async runUnit<T>(fn: (conn: DuckDBConnection) => Promise<T>, options: UnitOptions): Promise<T> {
    if (this.closed) throw StoreError.closed(this.file);
    if (this.journalOnly) throw StoreError.journalOnly(this.file);
    if (options.background) this.lockStats.commits++;
    else this.lockStats.units++;
    clearTimeout(this.lingerTimer);
    const held = this.held ?? (await this.acquire(options.waitMs ?? this.opts.lockTimeoutMs));
    try {
      return await fn(held.connection);
    } finally {
      if (this.opts.lockMode === 'shared') await this.releaseSoon();
    }
  }

  /**
   * In `shared` mode the lock is kept for {@link SHARED_LINGER_MS} after a unit, so the few units
   * of one step (lookup, record) share one open (≈15 ms each) — but never longer than
   * {@link SHARED_MAX_HOLD_MS} in a row, so other processes get their turn.
   */
  private async releaseSoon(): Promise<void> {
    if (Date.now() - this.heldSince >= SHARED_MAX_HOLD_MS) return this.release();
    this.lingerTimer = setTimeout(() => {
      this.queue = this.queue.then(() => this.release()).catch(() => undefined);
    }, SHARED_LINGER_MS);
    this.lingerTimer.unref();
  }

  private async acquire(waitMs: number): Promise<Held> {
    try {
      const { value, waitedMs, attempts } = await retryWithBackoff(() => InstanceRegistry.acquire(this.file, this.opts.readOnly), {
        deadlineMs: waitMs,
        initialDelayMs: 5,
        maxDelayMs: this.opts.lockMode === 'shared' ? 50 : 250,
        isRetryable: isLockConflict,
      });
      this.countAcquisition(waitedMs, attempts);
      this.heldSince = Date.now();
      this.held = { instance: value, connection: await value.connect() };
      return this.held;
    } catch (err) {
      if (err instanceof BackoffTimeout) {
        this.lockStats.busy++;
        throw new DatabaseLockedError(this.file, lockHolder(err.lastError), err.waitedMs, err.lastError);
      }
      throw StoreError.openFailed(this.file, err);
    }
  }

  private countAcquisition(waitedMs: number, attempts: number): void {
    const s = this.lockStats;
    s.acquisitions++;
    if (attempts > 1) s.contended++;
    s.waitedMs += waitedMs;
    s.maxWaitMs = Math.max(s.maxWaitMs, waitedMs);
  }

  private async release(): Promise<void> {
    const held = this.held;
    this.held = undefined;
    if (!held) return;
    held.connection.closeSync();
    await InstanceRegistry.release(this.file, held.instance);
  }
}
