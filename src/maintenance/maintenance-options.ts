import type { Mounts } from '../artifacts/uri';
import { Database } from '../provenance/database';
import { drainOpenIndexers } from '../journal/open-indexers';

/** Options shared by the maintenance operations. */
export interface MaintenanceOptions {
  /** How long to wait for another process's DB lock. Default 10 000 ms. */
  lockTimeoutMs?: number;
  /** Mounts used to resolve artifact URIs to local files (as in `Tracker.open`). */
  mounts?: Mounts;
}

/**
 * Opens the database exclusively (migrating it), runs `fn`, and always closes it again. Trackers
 * of this process open on the same file first commit what they recorded (their read barrier).
 * @internal
 */
export async function withDatabase<T>(dbPath: string, opts: MaintenanceOptions, fn: (db: Database) => Promise<T>): Promise<T> {
  await drainOpenIndexers(dbPath);
  const db = await Database.open(dbPath, { lockMode: 'exclusive', lockTimeoutMs: opts.lockTimeoutMs ?? 10_000 });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}
