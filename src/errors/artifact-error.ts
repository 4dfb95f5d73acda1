import { ConsistError } from './consist-error';

/** Codes of {@link ArtifactError}. */
export type ArtifactErrorCode =
  | 'ARTIFACT_KEY_INVALID'
  | 'ARTIFACT_URI_INVALID'
  | 'ARTIFACT_NOT_FOUND'
  | 'ARTIFACT_HASH_MISMATCH'
  | 'ARTIFACT_UNSUPPORTED_FORMAT'
  | 'ARTIFACT_LOAD_FAILED'
  | 'ARTIFACT_WRITE_FAILED'
  | 'OUTPUT_PATH_ESCAPES_RUN';

/** An artifact key, URI, file or format problem. */
export class ArtifactError extends ConsistError<ArtifactErrorCode> {
  constructor(readonly code: ArtifactErrorCode, message: string, opts: { details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, opts);
  }

  static invalidKey(key: unknown, why: string): ArtifactError {
    return new ArtifactError('ARTIFACT_KEY_INVALID',
      `Artifact key ${JSON.stringify(String(key)).slice(0, 80)} is invalid: ${why}. Keys match ` +
        `^[A-Za-z0-9_][A-Za-z0-9_.:/-]{0,255}$ and never contain '..'.`, { details: { key: String(key).slice(0, 300) } });
  }
  static invalidUri(uri: string, why: string): ArtifactError {
    return new ArtifactError('ARTIFACT_URI_INVALID', `URI '${uri.slice(0, 200)}' is invalid: ${why}.`,
      { details: { uri: uri.slice(0, 300) } });
  }
  static notFound(ref: string, hint = 'Check the path, or the mounts passed to Tracker.open.'): ArtifactError {
    return new ArtifactError('ARTIFACT_NOT_FOUND', `Artifact '${ref}' was not found. ${hint}`, { details: { ref } });
  }
  static hashMismatch(uri: string, expected: string, actual: string): ArtifactError {
    return new ArtifactError('ARTIFACT_HASH_MISMATCH',
      `Content hash of '${uri}' is ${actual}, but ${expected} was given. The file changed, or the given hash is wrong.`,
      { details: { uri, expected, actual } });
  }
  /** A hydrated copy does not have the bytes the producing run recorded. */
  static copyMismatch(uri: string, dest: string, expected: string, actual: string): ArtifactError {
    return new ArtifactError('ARTIFACT_HASH_MISMATCH',
      `The copy of '${uri}' at '${dest}' has hash ${actual}, but its run recorded ${expected}: the file changed after ` +
        `the run. The copy was removed; re-run the step (cacheMode: 'overwrite') to produce it again.`,
      { details: { uri, dest, expected, actual } });
  }
  /** An output path that would land outside the run folder. */
  static escapesRunFolder(file: string, folder: string): ArtifactError {
    return new ArtifactError('OUTPUT_PATH_ESCAPES_RUN',
      `Output path '${file}' resolves outside the run folder '${folder}'. Write outputs inside ctx.runDir ` +
        `(a relative path without '..'), or log a file elsewhere by its absolute path.`, { details: { file, folder } });
  }
  static unsupportedFormat(uri: string, driver: string, supported: readonly string[]): ArtifactError {
    return new ArtifactError('ARTIFACT_UNSUPPORTED_FORMAT',
      `Cannot load '${uri}' with driver '${driver}'. Supported drivers: ${supported.join(', ')}.`,
      { details: { uri, driver } });
  }
  /** The path is a FIFO, socket or device: its bytes cannot be hashed or read without blocking. */
  static notAFile(ref: string, kind: string): ArtifactError {
    return new ArtifactError('ARTIFACT_UNSUPPORTED_FORMAT',
      `'${ref.slice(0, 200)}' is a ${kind}, not a regular file or directory; consist-ts cannot hash or read it. ` +
        'Copy the data to a file first.', { details: { uri: ref.slice(0, 300), kind } });
  }
  static loadFailed(uri: string, cause: unknown): ArtifactError {
    const why = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    return new ArtifactError('ARTIFACT_LOAD_FAILED',
      `Could not read '${uri}': ${why}. The file may be corrupt or truncated; re-create it or re-run its producer.`,
      { details: { uri }, cause });
  }
  static writeFailed(path: string, cause: unknown): ArtifactError {
    const why = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    return new ArtifactError('ARTIFACT_WRITE_FAILED', `Could not write '${path}': ${why}.`, { details: { path }, cause });
  }
}

/** A step input (path, URI or artifact) does not exist; raised before anything is recorded. */
export class InputNotFoundError extends ConsistError<'INPUT_NOT_FOUND'> {
  readonly code = 'INPUT_NOT_FOUND' as const;
  constructor(readonly key: string, readonly path: string) {
    super(`Input '${key}' points to '${path}', which does not exist. Create the file or fix the path; nothing was run.`,
      { details: { key, path } });
  }
}

/** A step did not produce a declared required output. */
export class OutputMissingError extends ConsistError<'OUTPUT_MISSING'> {
  readonly code = 'OUTPUT_MISSING' as const;
  constructor(readonly step: string, readonly keys: readonly string[]) {
    super(`Step '${step}' did not return the declared output(s) ${keys.map((k) => `'${k}'`).join(', ')}. ` +
      `Return them from run(), or declare them optional: outputs: { ${keys[0]}: { required: false } }.`,
      { details: { step, keys } });
  }
}
