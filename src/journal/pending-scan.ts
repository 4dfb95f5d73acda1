import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Run, RunSnapshot } from '../model';
import { isProcessAlive } from '../util/fs';
import type { Logger } from '../util/logger';
import type { SnapshotStore } from './snapshot-store';

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

/** The pid of the process that recorded `run`, when it ran on this host. */
function localPid(run: Run): number | undefined {
  const { pid, host } = run.meta as { pid?: unknown; host?: unknown };
  return typeof pid === 'number' && host === os.hostname() ? pid : undefined;
}

/** True when the run's process is provably gone (this host, pid not alive). @internal */
export function ownerGone(run: Run): boolean {
  const pid = localPid(run);
  return pid !== undefined && pid !== process.pid && !isProcessAlive(pid);
}

/** True when the run's process is this one or alive on this host. @internal */
export function ownerAlive(run: Run): boolean {
  const pid = localPid(run);
  return pid !== undefined && (pid === process.pid || isProcessAlive(pid));
}

/** Options of {@link scanPending}. @internal */
export interface ScanOptions {
  /** Do not warn about unreadable snapshots (a pre-check; the real scan warns). */
  quiet?: boolean;
  /** Run ids the caller already knows the latest state of (its own queue): not read. */
  skip?: ReadonlySet<string> | ReadonlyMap<string, unknown>;
}

/**
 * Reads the pending folder (every process's markers) and sorts each marker into `ready`, `drop`
 * or left alone. A `running` snapshot of a live process — this one included — is left alone: its
 * owner will persist the final state, which re-marks it, so a marker is only ever cleared after
 * its snapshot's final state (or a dead owner's last state) is committed.
 * @internal
 */
export async function scanPending(snapshots: SnapshotStore, logger: Logger, options: ScanOptions = {}): Promise<PendingWork> {
  const work: PendingWork = { ready: [], drop: [] };
  for (const id of await snapshots.listPending()) {
    if (options.skip?.has(id)) continue;
    let snap: RunSnapshot | undefined;
    try {
      snap = await snapshots.read(id);
    } catch (err) {
      if (!options.quiet) logger.warn(`Skipping unreadable snapshot of run ${id}: ${(err as Error).message}`);
      work.drop.push(id);
      continue;
    }
    if (!snap) {
      if (await markerOlderThan(snapshots, id, ORPHAN_MARKER_MS)) work.drop.push(id);
    } else if (snap.run.status !== 'running' || ownerGone(snap.run)) {
      work.ready.push(snap);
    }
  }
  return work;
}

async function markerOlderThan(snapshots: SnapshotStore, id: string, ms: number): Promise<boolean> {
  try {
    return Date.now() - (await fs.stat(path.join(snapshots.pendingDir, id))).mtimeMs > ms;
  } catch {
    return false; // cleared meanwhile
  }
}
