import { promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { FilesystemError, StoreError } from '../errors';
import { SNAPSHOT_VERSION, type RunSnapshot } from '../model';
import { writeFileAtomic } from '../util/atomic-write';
import { touchMarker } from '../util/fs';

/** File name of a run's snapshot inside its folder. */
export const SNAPSHOT_FILE = 'consist.json';

/**
 * The JSON truth: `<runDir>/<runId>/consist.json`, written atomically, plus pending-sync markers
 * (`<runDir>/.consist/pending/<runId>`) for snapshots the DB has not confirmed yet.
 */
export class SnapshotStore {
  readonly pendingDir: string;

  /** @param readOnly a reader's store (`Tracker.open({ readOnly })`): `write` and `markPending` throw `READ_ONLY`. */
  constructor(readonly runDir: string, private readonly readOnly = false) {
    this.pendingDir = path.join(runDir, '.consist', 'pending');
  }

  runFolder(runId: string): string {
    return path.join(this.runDir, runId);
  }

  snapshotPath(runId: string): string {
    return path.join(this.runDir, runId, SNAPSHOT_FILE);
  }

  /**
   * Writes the snapshot atomically (temp + rename); a filesystem failure is a {@link FilesystemError}.
   * A final snapshot (`completed`, `failed`) is also fsynced, file and folder, so it survives a power
   * loss. A `running` one is not: it only marks a run under way, every process crash keeps it (the
   * page cache outlives a SIGKILL), and a power loss can cost at most the trace of a run that never
   * finished — its final snapshot, fsynced, replaces it. That saves two of an executed step's four fsyncs.
   * `folderReady`: the run's folder was created by {@link prepare} (re-created here if it is gone).
   */
  async write(snapshot: RunSnapshot, { folderReady = false }: { folderReady?: boolean } = {}): Promise<void> {
    if (this.readOnly) throw StoreError.readOnly(this.runDir);
    const file = this.snapshotPath(snapshot.run.id);
    await FilesystemError.guard('write the run snapshot', file, async () => {
      const text = `${JSON.stringify(snapshot, null, 2)}\n`;
      const durable = snapshot.run.status !== 'running';
      if (!folderReady) await fs.mkdir(this.runFolder(snapshot.run.id), { recursive: true });
      await writeFileAtomic(file, text, { durable }).catch(async (err: NodeJS.ErrnoException) => {
        if (!folderReady || err.code !== 'ENOENT') throw err;
        await fs.mkdir(this.runFolder(snapshot.run.id), { recursive: true }); // a step removed its own folder
        await writeFileAtomic(file, text, { durable });
      });
    });
  }

  /**
   * Creates the run's pending marker and its folder, concurrently: both precede the snapshot
   * (then written with `folderReady`), and neither depends on the other.
   */
  async prepare(runId: string): Promise<void> {
    const folder = this.runFolder(runId);
    await Promise.all([
      this.markPending(runId),
      FilesystemError.guard('create the run folder', folder, () => fs.mkdir(folder, { recursive: true })),
    ]);
  }

  /** Reads one snapshot; `undefined` when absent; `SNAPSHOT_INVALID` when unparseable. */
  async read(runId: string): Promise<RunSnapshot | undefined> {
    const file = this.snapshotPath(runId);
    return parseSnapshot(file, await fs.readFile(file, 'utf8').catch(absentOrInvalid(file)));
  }

  /**
   * {@link read} on the calling thread: one small local file, where four thread-pool round trips
   * (open, stat, read, close) cost more than the read itself (the cache-hit lookup).
   */
  readNow(runId: string): RunSnapshot | undefined {
    const file = this.snapshotPath(runId);
    let text: string | undefined;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      text = absentOrInvalid(file)(err);
    }
    return parseSnapshot(file, text);
  }

  /** Ids of every run folder that holds a snapshot. */
  async listRunIds(): Promise<string[]> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(this.runDir, { withFileTypes: true });
    } catch {
      return [];
    }
    const ids: string[] = [];
    for (const e of entries) {
      if (!e.isDirectory() || e.name.startsWith('.')) continue;
      try {
        await fs.access(this.snapshotPath(e.name));
        ids.push(e.name);
      } catch {
        // a folder without a snapshot is not a run (e.g. a hydration target)
      }
    }
    return ids.sort();
  }

  /** Creates the run's pending marker (the folder only when missing: one syscall on the hot path). */
  async markPending(runId: string): Promise<void> {
    if (this.readOnly) throw StoreError.readOnly(this.runDir);
    await FilesystemError.guard('write the pending marker', path.join(this.pendingDir, runId), () => touchMarker(this.pendingDir, runId));
  }

  async clearPending(runId: string): Promise<void> {
    await fs.rm(path.join(this.pendingDir, runId), { force: true });
  }

  async listPending(): Promise<string[]> {
    try {
      return (await fs.readdir(this.pendingDir)).filter((n) => !n.startsWith('.')).sort();
    } catch {
      return [];
    }
  }
}

/** `undefined` for a missing snapshot file; `SNAPSHOT_INVALID` for any other read failure. */
const absentOrInvalid = (file: string) => (err: unknown): undefined => {
  if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
  throw StoreError.invalidSnapshot(file, (err as Error).message);
};

function parseSnapshot(file: string, text: string | undefined): RunSnapshot | undefined {
  if (text === undefined) return undefined;
  let parsed: RunSnapshot;
  try {
    parsed = JSON.parse(text) as RunSnapshot;
  } catch (err) {
    throw StoreError.invalidSnapshot(file, (err as Error).message);
  }
  if (parsed?.version !== SNAPSHOT_VERSION || !parsed.run?.id) {
    throw StoreError.invalidSnapshot(file, `unknown snapshot format (version ${String(parsed?.version)})`);
  }
  return parsed;
}
