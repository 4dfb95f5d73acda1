import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Run, RunSnapshot } from '../model';
import { crashPoint } from '../util/crash-point';
import { isProcessAlive } from '../util/fs';
import type { Logger } from '../util/logger';
import { inTransaction, type SqlExecutor } from '../provenance/executor';
import type { RunIndex } from './run-index';
import type { SnapshotStore } from './snapshot-store';
import { syncSnapshot, syncSnapshots } from '../provenance/snapshot-sync';

/**
 * A marker without a snapshot is normally a writer between `markPending` and the snapshot's rename
 * (microseconds); after this long it is a writer that died there, with nothing to sync.
 */
const ORPHAN_MARKER_MS = 10_000;

/** What the pending folder holds right now. @internal */
export interface PendingWork {
  /** Snapshots to sync: final (`completed` / `failed`), or `running` of a process that died on this host. */
  ready: RunSnapshot[];
  /** Markers to clear without syncing: unreadable snapshots, orphaned markers. */
  drop: string[];
}

/** Counters of one {@link PendingSync}. */
export interface PendingSyncStats { batches: number; synced: number }

/** The pid of the process that recorded `run`, when it ran on this host. */
function localPid(run: Run): number | undefined {
  const { pid, host } = run.meta as { pid?: unknown; host?: unknown };
  return typeof pid === 'number' && host === os.hostname() ? pid : undefined;
}

/** True when the run's process is provably gone (this host, pid not alive). */
function ownerGone(run: Run): boolean {
  const pid = localPid(run);
  return pid !== undefined && pid !== process.pid && !isProcessAlive(pid);
}

/** True when the run's process is this one or alive on this host. */
function ownerAlive(run: Run): boolean {
  const pid = localPid(run);
  return pid !== undefined && (pid === process.pid || isProcessAlive(pid));
}

/**
 * Group commit of pending snapshots: syncs EVERY pending marker of the runs folder (whichever
 * process wrote it) in one transaction. A `running` snapshot of a live process — this one
 * included — is left alone: its owner will persist the final state, which re-marks it, so a
 * marker is only ever cleared after its snapshot's final state (or a dead owner's last state) is
 * committed. Re-syncing is idempotent, so two processes syncing the same marker is harmless.
 * @internal
 */
export class PendingSync {
  readonly stats: PendingSyncStats = { batches: 0, synced: 0 };

  constructor(
    private readonly snapshots: SnapshotStore,
    private readonly index: RunIndex,
    private readonly logger: Logger,
  ) {}

  /** Reads the pending folder and sorts each marker into `ready`, `drop` or left alone. */
  async collect(quiet = false): Promise<PendingWork> {
    const work: PendingWork = { ready: [], drop: [] };
    for (const id of await this.snapshots.listPending()) {
      let snap: RunSnapshot | undefined;
      try {
        snap = await this.snapshots.read(id);
      } catch (err) {
        if (!quiet) this.logger.warn(`Skipping unreadable snapshot of run ${id}: ${(err as Error).message}`);
        work.drop.push(id);
        continue;
      }
      if (!snap) {
        if (await this.markerOlderThan(id, ORPHAN_MARKER_MS)) work.drop.push(id);
      } else if (snap.run.status !== 'running' || ownerGone(snap.run)) {
        work.ready.push(snap);
      }
    }
    return work;
  }

  /** True when {@link collect} would sync or clear something. */
  async hasWork(): Promise<boolean> {
    const { ready, drop } = await this.collect(true);
    return ready.length > 0 || drop.length > 0;
  }

  /**
   * Syncs everything ready on `conn` (an open connection holding the lock, outside any
   * transaction), then clears the markers. Returns how many snapshots were synced.
   */
  async syncOn(conn: SqlExecutor): Promise<number> {
    const { ready, drop } = await this.collect();
    if (!ready.length && !drop.length) return 0;
    const synced = await this.commit(conn, ready);
    crashPoint('sync:after-commit');
    await Promise.all([
      // A live owner indexes its own runs; a dead one may have died between snapshot and index.
      ...synced.filter((snap) => !ownerAlive(snap.run)).map((snap) => this.index.record(snap)),
      ...synced.map((snap) => this.snapshots.clearPending(snap.run.id)),
      ...drop.map((id) => this.snapshots.clearPending(id)),
    ]);
    this.stats.batches++;
    this.stats.synced += synced.length;
    return synced.length;
  }

  /** One transaction for all; if the DB rejects one snapshot, one transaction each (the bad one stays pending). */
  private async commit(conn: SqlExecutor, ready: RunSnapshot[]): Promise<RunSnapshot[]> {
    if (!ready.length) return [];
    try {
      await inTransaction(conn, async () => {
        await syncSnapshots(conn, ready);
        crashPoint('sync:before-commit');
      });
      return ready;
    } catch {
      const ok: RunSnapshot[] = [];
      for (const snap of ready) {
        try {
          await inTransaction(conn, () => syncSnapshot(conn, snap));
          ok.push(snap);
        } catch (err) {
          this.logger.warn(`Database sync failed for run ${snap.run.id}; its snapshot is kept and stays pending: ` +
            `${(err as Error).message.split('\n')[0]}`);
        }
      }
      return ok;
    }
  }

  private async markerOlderThan(id: string, ms: number): Promise<boolean> {
    try {
      return Date.now() - (await fs.stat(path.join(this.snapshots.pendingDir, id))).mtimeMs > ms;
    } catch {
      return false; // cleared meanwhile
    }
  }
}

