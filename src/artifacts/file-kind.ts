import { promises as fs, statSync, type BigIntStats } from 'node:fs';
import { ArtifactError } from '../errors';

function specialKind(stat: BigIntStats): string | undefined {
  if (stat.isFile() || stat.isDirectory()) return undefined;
  if (stat.isFIFO()) return 'FIFO (named pipe)';
  if (stat.isSocket()) return 'socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'device';
  return 'special file';
}

/**
 * One `stat` of a file or directory, read with nanosecond times (what `fast` hashing needs), with
 * the plain-number fields artifacts record. @internal
 */
export interface ReadableStat {
  isDirectory: boolean;
  size: number;
  /** As `fs.Stats.mtimeMs` computes it (seconds × 1e3 + nanoseconds / 1e6), so recorded values compare equal. */
  mtimeMs: number;
  /** The full-precision stat, for `hashPath(…, stat)`. */
  stats: BigIntStats;
}

/**
 * `stat` of a path that is about to be hashed or read: undefined when it does not exist,
 * `ARTIFACT_UNSUPPORTED_FORMAT` for a FIFO, socket or device (reading one would block or never end). @internal
 */
export async function statReadable(path: string, ref: string = path): Promise<ReadableStat | undefined> {
  const stats = await statPath(path);
  return stats && readable(stats, ref);
}

/** `stat` (nanosecond times) of a path, undefined when it cannot be read (missing, no permission). @internal */
export function statPath(path: string): Promise<BigIntStats | undefined> {
  return fs.stat(path, { bigint: true }).catch(() => undefined);
}

/** Up to this many paths are stat-ed on the calling thread by {@link statPaths}. */
const SYNC_STATS = 64;

/**
 * {@link statPath} of several paths, in order. A step's inputs (a few dozen local files on the
 * cache-hit path) are stat-ed on the calling thread: a `stat` takes microseconds, a thread-pool
 * round trip more (20 inputs: ≈ 0.4 ms of main-thread CPU per cache hit async). More than
 * {@link SYNC_STATS} paths go to the thread pool, concurrently, so a slow (network) filesystem
 * never blocks the event loop for long. @internal
 */
export async function statPaths(paths: readonly string[]): Promise<Array<BigIntStats | undefined>> {
  if (paths.length > SYNC_STATS) return Promise.all(paths.map((p) => statPath(p)));
  return paths.map((p) => {
    try {
      return statSync(p, { bigint: true, throwIfNoEntry: false });
    } catch {
      return undefined; // no permission, not a directory on the way, …: unreadable, as statPath
    }
  });
}

/** {@link statReadable} of a stat already read. @throws ArtifactError `ARTIFACT_UNSUPPORTED_FORMAT` for a FIFO, socket or device. @internal */
export function readable(stats: BigIntStats, ref: string): ReadableStat {
  const kind = specialKind(stats);
  if (kind) throw ArtifactError.notAFile(ref, kind);
  const sec = stats.mtimeNs / 1_000_000_000n;
  const nsec = stats.mtimeNs - sec * 1_000_000_000n;
  return { isDirectory: stats.isDirectory(), size: Number(stats.size), mtimeMs: Number(sec) * 1e3 + Number(nsec) / 1e6, stats };
}
