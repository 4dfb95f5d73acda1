import { ConsistError } from './consist-error';

/** Codes of {@link FilesystemError}. */
export type FilesystemErrorCode = 'FS_NO_SPACE' | 'FS_PERMISSION_DENIED' | 'FS_READ_ONLY' | 'FS_WRITE_FAILED';

/** errno → code; anything else is `FS_WRITE_FAILED`. */
const BY_ERRNO: Readonly<Record<string, FilesystemErrorCode>> = {
  ENOSPC: 'FS_NO_SPACE', EDQUOT: 'FS_NO_SPACE', EACCES: 'FS_PERMISSION_DENIED', EPERM: 'FS_PERMISSION_DENIED', EROFS: 'FS_READ_ONLY',
};

const ADVICE: Readonly<Record<FilesystemErrorCode, string>> = {
  FS_NO_SPACE: 'Free disk space (or quota) on that volume, or point runDir elsewhere, then run again',
  FS_PERMISSION_DENIED: 'Give this user write access to the runs folder, or point runDir elsewhere',
  FS_READ_ONLY: 'The volume is mounted read-only: point runDir at a writable folder',
  FS_WRITE_FAILED: 'Check that the path is a writable folder (no file where a folder is expected)',
};

/**
 * Writing the journal (snapshots, pending markers, index entries) or a lease file failed at the
 * filesystem. Nothing recorded before is lost: the previous snapshot of a run stays whole (writes
 * are atomic), and a run whose snapshot could not be written is reported as failed to the caller.
 */
export class FilesystemError extends ConsistError<FilesystemErrorCode> {
  constructor(readonly code: FilesystemErrorCode, message: string, opts: { details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, opts);
  }

  /** Wraps a raw filesystem error of `what` (e.g. "write the snapshot") at `path`; a ConsistError passes through. */
  static from(what: string, path: string, cause: unknown): ConsistError {
    if (cause instanceof ConsistError) return cause;
    const errno = (cause as NodeJS.ErrnoException | undefined)?.code ?? 'UNKNOWN';
    const code = BY_ERRNO[errno] ?? 'FS_WRITE_FAILED';
    const why = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    return new FilesystemError(code, `Cannot ${what} at '${path}' (${errno}): ${why}. ${ADVICE[code]}.`,
      { details: { path, errno, operation: what }, cause });
  }

  /** Runs `fn`, turning a raw filesystem error into a {@link FilesystemError}. */
  static async guard<T>(what: string, path: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw FilesystemError.from(what, path, err);
    }
  }
}
