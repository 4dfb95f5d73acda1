import type { RunSnapshot } from '../model';
import type { Database } from '../store/database';
import type { SnapshotStore } from '../store/snapshot-store';
import { syncSnapshot } from '../store/snapshot-sync';
import type { Logger } from '../util/logger';
import { isProcessAlive } from '../util/fs';
import * as os from 'node:os';
import { crashPoint } from '../util/crash-point';

/** A `running` snapshot whose process is still alive on this host is not ours to sync. */
function isLiveElsewhere(snap: RunSnapshot): boolean {
  const { pid, host } = snap.run.meta as { pid?: number; host?: string };
  return snap.run.status === 'running' && host === os.hostname() && typeof pid === 'number'
    && pid !== process.pid && isProcessAlive(pid);
}

/**
 * Persists runs JSON-first: a pending marker, then the atomic snapshot, then one DB transaction;
 * the marker is cleared only when the DB confirmed. A DB failure is logged and never loses the
 * run: {@link resyncPending} (run on every open) and `consist db rebuild` sync it later.
 */
export class RunRecorder {
  constructor(
    private readonly snapshots: SnapshotStore,
    private readonly db: Database,
    private readonly logger: Logger,
  ) {}

  /** Writes the snapshot, then the DB rows. Returns false when the DB write failed (run still safe). */
  async persist(snapshot: RunSnapshot): Promise<boolean> {
    const id = snapshot.run.id;
    crashPoint('persist:before-pending');
    await this.snapshots.markPending(id);
    crashPoint('persist:after-pending');
    await this.snapshots.write(snapshot);
    crashPoint('persist:after-snapshot');
    try {
      await this.db.transaction(async (tx) => {
        crashPoint('persist:in-transaction');
        await syncSnapshot(tx, snapshot);
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

  /** Syncs every snapshot with a pending marker into the DB. Returns how many were synced. */
  async resyncPending(): Promise<number> {
    let synced = 0;
    for (const id of await this.snapshots.listPending()) {
      const snap = await this.snapshots.read(id).catch((err: Error) => {
        this.logger.warn(`Skipping unreadable snapshot of run ${id}: ${err.message}`);
        return undefined;
      });
      if (snap && isLiveElsewhere(snap)) continue; // its own process will finish the sync
      if (snap) {
        await this.db.transaction((tx) => syncSnapshot(tx, snap));
        synced++;
      }
      await this.snapshots.clearPending(id);
    }
    return synced;
  }
}
