import { createHash } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import type { BigIntStats, Dirent } from 'node:fs';
import * as nodePath from 'node:path';
import { compareText, hashComponents, type IdentityComponent } from './encoding';
import { byteReporter, type ByteReporter, type HashProgressOptions } from './hash-progress';

export { HASH_PROGRESS_MIN_BYTES, type HashProgressOptions } from './hash-progress';

/** How file contents are identified: `full` hashes the bytes, `fast` only size + mtime. */
export type HashingMode = 'full' | 'fast';

/** Bytes read per `FileHandle.read`; large blocks are what make hashing reach > 1 GB/s. */
const READ_BLOCK = 4 * 1024 * 1024;
/** Up to this size a file whose stat is known is hashed with one synchronous read. */
const SMALL_FILE = 65_536n;
/** Files hashed concurrently inside one directory. */
const DIRECTORY_CONCURRENCY = 8;

/** SHA-256 of `data` (strings are UTF-8 encoded), as lowercase hex. */
export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Identifies one file.
 *
 * - `full`: `sha256:<hex>` of the bytes, read in 4 MiB blocks into one reused buffer;
 * - `fast`: `fast:<hex>` = sha256 of `` `${size}_${mtimeNs}` `` (nanosecond mtime, so a `touch`
 *   changes it even when the bytes do not).
 *
 * `stat`, when the caller has just read it (`bigint: true`), saves the `fast` mode its own stat.
 * `progress`: a `full` hash of a file of at least `minBytes` (default 64 MiB) reports bytes hashed
 * as `hash` progress events; smaller files and `fast` mode report nothing.
 *
 * @throws the Node `ENOENT` (or `EISDIR`, `EACCES`) error unchanged; callers map it.
 */
export async function hashFile(path: string, mode: HashingMode, stat?: BigIntStats, progress?: HashProgressOptions): Promise<string> {
  if (mode === 'fast') {
    const s = stat ?? (await fs.stat(path, { bigint: true }));
    return `fast:${sha256Hex(`${s.size}_${s.mtimeNs}`)}`;
  }
  // A small regular file (its stat in hand) is read on this thread: five thread-pool round trips
  // (open, stat, read, read, close) cost more than reading a few KiB (an executed step's summary).
  if (stat && stat.isFile() && stat.size <= SMALL_FILE) return `sha256:${sha256Hex(readFileSync(path))}`;
  return `sha256:${await sha256OfFile(path, progress ? (size) => byteReporter(progress, size, path) : undefined)}`;
}

/** SHA-256 of a file; `reporterFor(size)` may return a reporter fed each block's byte count. */
async function sha256OfFile(path: string, reporterFor?: (size: number) => ByteReporter | undefined, shared?: ByteReporter): Promise<string> {
  const handle = await fs.open(path, 'r');
  try {
    const { size } = await handle.stat();
    const own = reporterFor?.(size);
    const report = own ?? shared;
    const buffer = Buffer.allocUnsafe(Math.max(1, Math.min(READ_BLOCK, size)));
    const hash = createHash('sha256');
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      report?.add(bytesRead);
    }
    own?.finish();
    return hash.digest('hex');
  } finally {
    await handle.close();
  }
}

/**
 * Identifies a file (as {@link hashFile}) or a directory: the sorted (relative posix path, file
 * hash) pairs of every regular file below it, at any depth, dotfiles included, encoded with
 * {@link hashComponents} and prefixed `sha256:` or `fast:` by mode. Renaming, adding or removing a
 * file changes the hash; an empty directory has a hash distinct from an empty file. Symbolic links
 * to files count as the file they point to; links to directories are not followed (no loops) and
 * dangling links have no bytes to hash, so both are left out.
 *
 * `stat`, when the caller has just read it (`bigint: true`), is used instead of a new one.
 * `progress`: as {@link hashFile}; a directory counts the bytes of all its files (their sizes are
 * read only when a hook is given).
 *
 * @throws the Node `ENOENT` error when `path` does not exist.
 */
export async function hashPath(path: string, mode: HashingMode, stat?: BigIntStats, progress?: HashProgressOptions): Promise<string> {
  const s = stat ?? (await fs.stat(path, { bigint: true }));
  if (!s.isDirectory()) return hashFile(path, mode, s, progress);
  const files = await listFiles(path);
  const report = progress && mode === 'full' ? await directoryReporter(path, files, progress) : undefined;
  const hashes = await mapLimit(files, DIRECTORY_CONCURRENCY, async (rel) => report
    ? `sha256:${await sha256OfFile(nodePath.join(path, rel), undefined, report)}`
    : hashFile(nodePath.join(path, rel), mode));
  report?.finish();
  const parts: IdentityComponent[] = [['kind', 'directory']];
  files.forEach((rel, i) => parts.push(['file', rel], ['hash', hashes[i]]));
  return `${mode === 'full' ? 'sha256' : 'fast'}:${hashComponents(parts)}`;
}

/** A reporter over the summed sizes of a directory's files, when they reach the threshold. */
async function directoryReporter(root: string, files: string[], progress: HashProgressOptions): Promise<ByteReporter | undefined> {
  const sizes = await mapLimit(files, DIRECTORY_CONCURRENCY, async (rel) => (await fs.stat(nodePath.join(root, rel))).size);
  return byteReporter(progress, sizes.reduce((a, b) => a + b, 0), root);
}

/** Relative posix paths of the regular files under `root`, sorted by UTF-16 code units. */
async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const pending: string[] = [''];
  while (pending.length > 0) {
    const rel = pending.pop() as string;
    const entries = await fs.readdir(nodePath.join(root, rel), { withFileTypes: true });
    for (const entry of entries) {
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
      const kind = await entryKind(root, child, entry);
      if (kind === 'dir') pending.push(child);
      else if (kind === 'file') out.push(child);
    }
  }
  return out.sort(compareText);
}

async function entryKind(root: string, rel: string, entry: Dirent): Promise<'dir' | 'file' | 'other'> {
  if (entry.isDirectory()) return 'dir';
  if (entry.isFile()) return 'file';
  if (!entry.isSymbolicLink()) return 'other';
  try {
    return (await fs.stat(nodePath.join(root, rel))).isFile() ? 'file' : 'other';
  } catch {
    return 'other'; // a dangling link has no bytes to hash
  }
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
