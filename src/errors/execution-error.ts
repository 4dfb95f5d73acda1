import { ConsistError } from './consist-error';

/** Codes of {@link ExecutionError}. */
export type ExecutionErrorCode =
  | 'CONTAINER_BACKEND_UNAVAILABLE'
  | 'CONTAINER_IMAGE_NOT_FOUND'
  | 'COMMAND_NOT_FOUND'
  | 'COMMAND_FAILED'
  | 'CAPTURE_COLLISION';

/** What {@link ExecutionError.commandFailed} reports about a finished process. */
export interface CommandFailure {
  /** The argv as the user gave it (argv[0] unresolved). */
  argv: readonly string[];
  exitCode: number | null;
  signal: string | null;
  /** The last lines of stderr, already read from the capture file. */
  stderrTail: readonly string[];
  stderrPath: string;
  /** Prefix naming what ran, e.g. `Container localhost/bb:test` (default `Command`). */
  what?: string;
}

function shellQuoteForMessage(argv: readonly string[]): string {
  const shown = argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
  return shown.length > 200 ? `${shown.slice(0, 197)}...` : shown;
}

/** An external command, container or output capture failed. */
export class ExecutionError extends ConsistError<ExecutionErrorCode> {
  constructor(readonly code: ExecutionErrorCode, message: string, opts: { details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, opts);
  }

  /** `name` is neither an existing file path nor found on the PATH that was searched. */
  static commandNotFound(name: string, searchPath: string, cause?: unknown): ExecutionError {
    const where = name.includes('/') ? `'${name}' is not an executable file` :
      `'${name}' was not found on PATH (${searchPath || '<empty>'})`;
    return new ExecutionError('COMMAND_NOT_FOUND',
      `Cannot run command: ${where}. Install it, pass an absolute path as argv[0], or add its folder to ` +
        `PATH in the env you pass.`, { details: { name, searchPath }, cause });
  }

  /** The process exited non-zero or was killed; the message carries the exit code and the stderr tail. */
  static commandFailed(f: CommandFailure): ExecutionError {
    const how = f.signal ? `was killed by ${f.signal}` : `exited with code ${f.exitCode}`;
    const tail = f.stderrTail.length ? `\n--- last ${f.stderrTail.length} lines of stderr ---\n${f.stderrTail.join('\n')}` :
      ' (stderr was empty)';
    return new ExecutionError('COMMAND_FAILED',
      `${f.what ?? 'Command'} \`${shellQuoteForMessage(f.argv)}\` ${how}. Full stderr: ${f.stderrPath}${tail}`,
      { details: { argv: [...f.argv], exitCode: f.exitCode, signal: f.signal, stderrPath: f.stderrPath } });
  }

  /** The process could not be started at all (spawn error other than a missing binary). */
  static spawnFailed(argv: readonly string[], cause: unknown): ExecutionError {
    const why = cause instanceof Error ? cause.message : String(cause);
    return new ExecutionError('COMMAND_FAILED', `Could not start \`${shellQuoteForMessage(argv)}\`: ${why}.`,
      { details: { argv: [...argv] }, cause });
  }
}

/** A container backend binary or image is unavailable. */
export class ContainerBackendError extends ExecutionError {
  /** The backend's CLI is missing or does not answer; `fix` says how to get it working. */
  static backendUnavailable(backend: string, why: string, fix: string, cause?: unknown): ContainerBackendError {
    return new ContainerBackendError('CONTAINER_BACKEND_UNAVAILABLE',
      `Container backend '${backend}' is unavailable: ${why}. Fix: ${fix}.`, { details: { backend }, cause });
  }

  /** The name given is not one of the supported backends. */
  static unknownBackend(name: string, known: readonly string[]): ContainerBackendError {
    return new ContainerBackendError('CONTAINER_BACKEND_UNAVAILABLE',
      `Unknown container backend '${name}'. Use one of: ${known.join(', ')}.`, { details: { backend: name, known: [...known] } });
  }

  /** The image is not present locally (consist-ts never pulls: the digest must be resolvable first). */
  static imageNotFound(backend: string, image: string, fix: string, cause?: unknown): ContainerBackendError {
    return new ContainerBackendError('CONTAINER_IMAGE_NOT_FOUND',
      `Image '${image}' is not available to ${backend}. Fix: ${fix}.`, { details: { backend, image }, cause });
  }
}
