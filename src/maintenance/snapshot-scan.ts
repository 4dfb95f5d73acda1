import * as os from 'node:os';
import type { Run, RunSnapshot } from '../model';
import type { SnapshotStore } from '../journal/snapshot-store';
import { isProcessAlive } from '../util/fs';

/** A snapshot that could not be used, with the reason. */
export interface SnapshotProblem {
  id: string;
  error: string;
}

/** Every readable snapshot of a runs folder, and the unreadable ones. @internal */
export interface SnapshotScan {
  snapshots: Map<string, RunSnapshot>;
  problems: SnapshotProblem[];
}

/**
 * Reads every `<runDir>/<id>/consist.json`. Unparseable files, unknown versions, a run id that
 * does not match its folder, or a missing field needed to rebuild rows become `problems`.
 * @internal
 */
export async function scanSnapshots(store: SnapshotStore): Promise<SnapshotScan> {
  const snapshots = new Map<string, RunSnapshot>();
  const problems: SnapshotProblem[] = [];
  for (const id of await store.listRunIds()) {
    try {
      const snap = await store.read(id);
      if (!snap) continue;
      const why = shapeProblem(id, snap);
      if (why) problems.push({ id, error: why });
      else snapshots.set(id, snap);
    } catch (err) {
      problems.push({ id, error: (err as Error).message.split('\n')[0] });
    }
  }
  return { snapshots, problems };
}

function shapeProblem(folder: string, snap: RunSnapshot): string | undefined {
  const run = snap.run as Partial<Run>;
  if (run.id !== folder) return `run id '${String(run.id)}' does not match its folder '${folder}'`;
  for (const field of ['kind', 'name', 'status', 'startedAt'] as const) {
    if (typeof run[field] !== 'string') return `run.${field} is missing`;
  }
  if (!Array.isArray(snap.artifacts)) return 'artifacts is not an array';
  const bad = snap.artifacts.find((a) => !a?.artifact?.id || !a.artifact.uri || !a.key || !a.direction);
  return bad ? 'an artifact entry lacks id, uri, key or direction' : undefined;
}

/** Process facts recorded in a run's meta. */
export interface RunProcess {
  pid: number | null;
  host: string | null;
}

/** The pid and host a run recorded when it began. @internal */
export function runProcess(run: Pick<Run, 'meta'>): RunProcess {
  const { pid, host } = (run.meta ?? {}) as { pid?: unknown; host?: unknown };
  return { pid: typeof pid === 'number' ? pid : null, host: typeof host === 'string' ? host : null };
}

/** True for a `running` run whose process was on this host and is gone. @internal */
export function isStuck(run: Pick<Run, 'status' | 'meta'>): boolean {
  if (run.status !== 'running') return false;
  const { pid, host } = runProcess(run);
  return pid !== null && host === os.hostname() && !isProcessAlive(pid);
}

/** True for a `running` run whose process is alive on this host. @internal */
export function isLiveHere(run: Pick<Run, 'status' | 'meta'>): boolean {
  if (run.status !== 'running') return false;
  const { pid, host } = runProcess(run);
  return pid !== null && host === os.hostname() && isProcessAlive(pid);
}
