import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FilesystemError } from '../errors';
import { isProcessAlive } from '../util/fs';
import { crashPoint } from '../util/crash-point';

/** What a lease file holds: who runs the step and until when the lease counts without renewal. */
export interface LeaseRecord {
  pid: number;
  host: string;
  /** Epoch milliseconds; the holder renews it while the step runs. */
  expiresAt: number;
  /** Random; lets the holder tell its own lease from one that replaced it. */
  token: string;
}

/** Timings of {@link SingleFlight}. */
export interface SingleFlightOptions {
  /** How long a lease counts without renewal. Default 30 000 ms. */
  ttlMs?: number;
  /** How often the holder renews its lease. Default `ttlMs / 3`. */
  renewMs?: number;
  /** How long a waiter sleeps between looks at the lease. Default 50 ms. */
  pollMs?: number;
}

/** Counters of one {@link SingleFlight}, for tests and diagnostics. */
export interface SingleFlightStats {
  acquired: number;
  waited: number;
  stolen: number;
  waitedMs: number;
}

/** A lease or steal guard is written within microseconds of its creation; after this it is orphaned. */
const UNWRITTEN_GRACE_MS = 2_000;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const errno = (err: unknown) => (err as NodeJS.ErrnoException)?.code;

/**
 * Runs identical work once across processes sharing a runs folder: the first caller creates
 * `<dir>/<key>.lease` with `O_EXCL`, renews it while working and removes it at the end; other
 * callers poll until it is gone and then look again (normally a cache hit). A lease whose holder
 * died on this host, or that expired, is stolen. Stealing is serialized by a second `O_EXCL`
 * file, so two waiters never both take over.
 * @internal
 */
export class SingleFlight {
  readonly stats: SingleFlightStats = { acquired: 0, waited: 0, stolen: 0, waitedMs: 0 };
  private readonly ttlMs: number;
  private readonly renewMs: number;
  private readonly pollMs: number;

  constructor(readonly dir: string, options: SingleFlightOptions = {}) {
    this.ttlMs = options.ttlMs ?? 30_000;
    this.renewMs = options.renewMs ?? Math.max(10, Math.floor(this.ttlMs / 3));
    this.pollMs = options.pollMs ?? 50;
  }

  /** The lease file of `key`. */
  leasePath(key: string): string {
    return path.join(this.dir, `${key}.lease`);
  }

  /**
   * Returns `lookup()` when it finds something; otherwise runs `execute()` under the lease of
   * `key`, or waits for the current holder and looks again.
   */
  async run<T>(key: string, lookup: () => Promise<T | undefined>, execute: () => Promise<T>): Promise<T> {
    for (;;) {
      const found = await lookup();
      if (found !== undefined) return found;
      const lease = await this.tryAcquire(key);
      if (lease) return this.runHolding(key, lease, lookup, execute);
      await this.waitWhileHeld(key);
    }
  }

  private async runHolding<T>(key: string, lease: LeaseRecord, lookup: () => Promise<T | undefined>, execute: () => Promise<T>): Promise<T> {
    let renewing = Promise.resolve();
    const timer = setInterval(() => { renewing = renewing.then(() => this.renew(key, lease)); }, this.renewMs);
    timer.unref();
    try {
      // The previous holder may have finished between our lookup and our acquire.
      const found = await lookup();
      return found !== undefined ? found : await execute();
    } finally {
      clearInterval(timer);
      await renewing; // a renewal landing after the release would resurrect the lease
      await this.release(key, lease);
    }
  }

  private async tryAcquire(key: string): Promise<LeaseRecord | undefined> {
    const lease: LeaseRecord = { pid: process.pid, host: os.hostname(), expiresAt: Date.now() + this.ttlMs, token: randomBytes(8).toString('hex') };
    await FilesystemError.guard('create the lease folder', this.dir, () => fs.mkdir(this.dir, { recursive: true }));
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(this.leasePath(key), 'wx');
    } catch (err) {
      if (errno(err) === 'EEXIST') return undefined;
      throw FilesystemError.from('create the lease file', this.leasePath(key), err);
    }
    try {
      crashPoint('lease:created');
      await handle.writeFile(JSON.stringify(lease));
    } catch (err) {
      throw FilesystemError.from('write the lease file', this.leasePath(key), err);
    } finally {
      await handle.close();
    }
    this.stats.acquired++;
    return lease;
  }

  private async waitWhileHeld(key: string): Promise<void> {
    const start = Date.now();
    this.stats.waited++;
    for (;;) {
      const current = await readLease(this.leasePath(key));
      if (current === null) break;
      if ((await this.isStale(key, current)) && (await this.steal(key, current))) break;
      await sleep(this.pollMs * (0.5 + Math.random()));
    }
    this.stats.waitedMs += Date.now() - start;
  }

  /**
   * A lease is stale when its holder is a dead process on this host or it expired. A lease file
   * that does not parse for longer than {@link UNWRITTEN_GRACE_MS} lost its holder between
   * create and write.
   */
  private async isStale(key: string, lease: LeaseRecord | undefined): Promise<boolean> {
    if (!lease) return fileOlderThan(this.leasePath(key), UNWRITTEN_GRACE_MS);
    if (lease.host === os.hostname() && lease.pid !== process.pid && !isProcessAlive(lease.pid)) return true;
    return Date.now() > lease.expiresAt;
  }

  private async steal(key: string, seen: LeaseRecord | undefined): Promise<boolean> {
    const guard = `${this.leasePath(key)}.steal`;
    try {
      await (await fs.open(guard, 'wx')).close();
    } catch (err) {
      if (errno(err) !== 'EEXIST') throw err;
      if (await fileOlderThan(guard, UNWRITTEN_GRACE_MS)) await fs.rm(guard, { force: true });
      return false;
    }
    try {
      const now = await readLease(this.leasePath(key));
      if (now !== null && now?.token !== seen?.token) return false;
      await fs.rm(this.leasePath(key), { force: true });
      this.stats.stolen++;
      return true;
    } finally {
      await fs.rm(guard, { force: true });
    }
  }

  private async renew(key: string, lease: LeaseRecord): Promise<void> {
    const current = await readLease(this.leasePath(key)).catch(() => null);
    if (current?.token !== lease.token) return;
    lease.expiresAt = Date.now() + this.ttlMs;
    const tmp = `${this.leasePath(key)}.${lease.token}.tmp`;
    await fs.writeFile(tmp, JSON.stringify(lease)).then(() => fs.rename(tmp, this.leasePath(key))).catch(() => undefined);
  }

  private async release(key: string, lease: LeaseRecord): Promise<void> {
    const current = await readLease(this.leasePath(key)).catch(() => null);
    if (current === null || (current !== undefined && current.token !== lease.token)) return;
    await fs.rm(this.leasePath(key), { force: true });
  }
}

/** `null`: no lease file; `undefined`: a file that does not parse (yet, or ever). */
async function readLease(file: string): Promise<LeaseRecord | null | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if (errno(err) === 'ENOENT') return null;
    throw err;
  }
  try {
    const parsed = JSON.parse(text) as LeaseRecord;
    return typeof parsed?.pid === 'number' && typeof parsed.expiresAt === 'number' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

async function fileOlderThan(file: string, ageMs: number): Promise<boolean> {
  try {
    return Date.now() - (await fs.stat(file)).mtimeMs > ageMs;
  } catch {
    return false;
  }
}
