import { promises as fs, type Stats } from 'node:fs';
import { ArtifactError } from '../errors';

function specialKind(stat: Stats): string | undefined {
  if (stat.isFile() || stat.isDirectory()) return undefined;
  if (stat.isFIFO()) return 'FIFO (named pipe)';
  if (stat.isSocket()) return 'socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'device';
  return 'special file';
}

/**
 * `stat` of a path that is about to be hashed or read: undefined when it does not exist,
 * `ARTIFACT_UNSUPPORTED_FORMAT` for a FIFO, socket or device (reading one would block or never end). @internal
 */
export async function statReadable(path: string, ref: string = path): Promise<Stats | undefined> {
  const stat = await fs.stat(path).catch(() => undefined);
  const kind = stat && specialKind(stat);
  if (kind) throw ArtifactError.notAFile(ref, kind);
  return stat;
}
