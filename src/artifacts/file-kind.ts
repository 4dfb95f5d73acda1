import { promises as fs, type BigIntStats } from 'node:fs';
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

/** {@link statReadable} of a stat already read. @throws ArtifactError `ARTIFACT_UNSUPPORTED_FORMAT` for a FIFO, socket or device. @internal */
export function readable(stats: BigIntStats, ref: string): ReadableStat {
  const kind = specialKind(stats);
  if (kind) throw ArtifactError.notAFile(ref, kind);
  const sec = stats.mtimeNs / 1_000_000_000n;
  const nsec = stats.mtimeNs - sec * 1_000_000_000n;
  return { isDirectory: stats.isDirectory(), size: Number(stats.size), mtimeMs: Number(sec) * 1e3 + Number(nsec) / 1e6, stats };
}
