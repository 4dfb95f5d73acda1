import { spawn } from 'node:child_process';
import { constants as fsConstants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ConfigurationError } from '../errors/config-error';
import { ExecutionError } from '../errors/execution-error';
import { hashFile } from '../identity/hash';

/** Environment entries passed to a command (only these count in its identity). */
export type CommandEnv = Readonly<Record<string, string>>;

/** Options of {@link executeCommand}. */
export interface ExecuteCommandOptions {
  /** argv[0] is resolved like `which` (or taken as a path when it contains `/`); no shell is involved. */
  argv: readonly string[];
  /** Working directory of the child (default: the current directory). */
  cwd?: string;
  /** Entries added on top of the inherited environment (or the whole environment, see `inheritEnv`). */
  env?: CommandEnv;
  /** Default true: the child sees `process.env` plus `env`. */
  inheritEnv?: boolean;
  /** stdout is streamed straight into this file (created or truncated; folders are created). */
  stdoutPath: string;
  /** stderr is streamed into this file; it may equal `stdoutPath` to interleave both. */
  stderrPath: string;
  /** Default false: a non-zero exit or a signal throws `COMMAND_FAILED`. */
  allowNonZeroExit?: boolean;
  /** Names the process in error messages (default `Command`). */
  what?: string;
}

/** How a process ended. `exitCode` is null when it was killed by a signal. */
export interface CommandResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The absolute path that was executed. */
  executable: string;
  durationMs: number;
}

/** The part of a command that goes into a run signature; see {@link commandIdentity}. */
export interface CommandIdentity {
  /** `sha256:<hex>` of the resolved executable's bytes (symlinks followed). */
  binaryHash: string;
  /** The argv with argv[0] replaced by its basename, so `/usr/bin/sh` and `sh` agree. */
  argv: string[];
  /** The env entries passed explicitly, as `[name, value]` pairs sorted by name. */
  env: [string, string][];
}

/** Number of stderr lines quoted in a `COMMAND_FAILED` message. */
export const STDERR_TAIL_LINES = 20;

/**
 * Finds the executable `name` like `which`: a name containing `/` is a path (relative to `cwd`),
 * otherwise each folder of `env.PATH` (falling back to `process.env.PATH`) is searched.
 * @throws ExecutionError `COMMAND_NOT_FOUND` with a fix when nothing executable matches.
 */
export async function resolveExecutable(name: string, env?: CommandEnv, cwd?: string): Promise<string> {
  if (typeof name !== 'string' || name.length === 0) {
    throw ConfigurationError.invalidOption('command[0]', name, 'a non-empty executable name or path');
  }
  const searchPath = env?.PATH ?? process.env.PATH ?? '';
  if (name.includes('/')) {
    const candidate = path.resolve(cwd ?? process.cwd(), name);
    if (await isExecutableFile(candidate)) return candidate;
    throw ExecutionError.commandNotFound(name, searchPath);
  }
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue; // an empty PATH entry would mean ".", which `which` ignores too
    const candidate = path.resolve(cwd ?? process.cwd(), dir, name);
    if (await isExecutableFile(candidate)) return candidate;
  }
  throw ExecutionError.commandNotFound(name, searchPath);
}

async function isExecutableFile(file: string): Promise<boolean> {
  try {
    const st = await fs.stat(file);
    if (!st.isFile()) return false;
    await fs.access(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `argv` without a shell, streaming stdout and stderr straight into files (the child writes
 * to the file descriptors itself, so nothing is buffered in this process whatever the output size).
 * @throws ExecutionError `COMMAND_NOT_FOUND` before starting; `COMMAND_FAILED` on a non-zero exit
 * or signal (message: exit code + last {@link STDERR_TAIL_LINES} lines of stderr) unless `allowNonZeroExit`.
 */
export async function executeCommand(opts: ExecuteCommandOptions): Promise<CommandResult> {
  if (!Array.isArray(opts.argv) || opts.argv.length === 0) {
    throw ConfigurationError.invalidOption('command', opts.argv, 'a non-empty argv array');
  }
  const env = childEnv(opts.env, opts.inheritEnv ?? true);
  const cwd = path.resolve(opts.cwd ?? process.cwd());
  await assertDirectory(cwd);
  const executable = await resolveExecutable(opts.argv[0], env, cwd);
  const started = Date.now();
  const ended = await withCaptureFiles(opts.stdoutPath, opts.stderrPath,
    (out, err) => spawnToFds({ executable, argv: opts.argv, cwd, env, out, err }));
  const result: CommandResult = { ...ended, executable, durationMs: Date.now() - started };
  if ((result.exitCode !== 0 || result.signal) && !opts.allowNonZeroExit) {
    throw ExecutionError.commandFailed({
      argv: opts.argv, exitCode: result.exitCode, signal: result.signal, what: opts.what,
      stderrTail: await readLastLines(opts.stderrPath, STDERR_TAIL_LINES), stderrPath: opts.stderrPath,
    });
  }
  return result;
}

function childEnv(extra: CommandEnv | undefined, inherit: boolean): Record<string, string> {
  const base: Record<string, string> = {};
  if (inherit) {
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) base[k] = v;
  }
  return { ...base, ...(extra ?? {}) };
}

async function assertDirectory(dir: string): Promise<void> {
  const st = await fs.stat(dir).catch(() => undefined);
  if (!st?.isDirectory()) throw ConfigurationError.invalidOption('cwd', dir, 'an existing directory');
}

async function withCaptureFiles<T>(stdoutPath: string, stderrPath: string,
  fn: (outFd: number, errFd: number) => Promise<T>): Promise<T> {
  const outFile = path.resolve(stdoutPath);
  const errFile = path.resolve(stderrPath);
  const out = await openTruncated(outFile);
  let err: fs.FileHandle | undefined;
  try {
    err = errFile === outFile ? out : await openTruncated(errFile);
    return await fn(out.fd, err.fd);
  } finally {
    await out.close();
    if (err && err !== out) await err.close();
  }
}

// Append mode on a freshly truncated file: both streams append when they share one file.
async function openTruncated(file: string): Promise<fs.FileHandle> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, '');
  return fs.open(file, 'a');
}

interface SpawnRequest {
  executable: string;
  argv: readonly string[];
  cwd: string;
  env: Record<string, string>;
  out: number;
  err: number;
}

function spawnToFds(req: SpawnRequest): Promise<{ exitCode: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    // argv0 keeps the name the user wrote: multi-call binaries (busybox) dispatch on it.
    const child = spawn(req.executable, req.argv.slice(1), {
      argv0: req.argv[0], cwd: req.cwd, env: req.env, shell: false, windowsHide: true,
      stdio: ['ignore', req.out, req.err],
    });
    child.once('error', (e) => reject(ExecutionError.spawnFailed(req.argv, e)));
    child.once('close', (exitCode, signal) => resolve({ exitCode, signal }));
  });
}

/**
 * Returns the last `n` lines of a text file (without the trailing newline), reading backwards at
 * most `maxBytes` so that a huge log costs nothing; a missing file gives `[]`.
 */
export async function readLastLines(file: string, n: number, maxBytes = 64 * 1024): Promise<string[]> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch {
    return [];
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, maxBytes);
    const buf = Buffer.alloc(length);
    await handle.read(buf, 0, length, size - length);
    let lines = buf.toString('utf8').split(/\r?\n/);
    if (lines.length > 0 && lines[lines.length - 1] === '') lines = lines.slice(0, -1);
    return n > 0 ? lines.slice(-n) : [];
  } finally {
    await handle.close();
  }
}

/**
 * The signature-relevant description of a command: the resolved binary's content hash, the argv
 * (argv[0] reduced to its basename) and the env entries passed explicitly, sorted.
 *
 * `cwd` is accepted (to resolve a relative argv[0]) but deliberately left out: it is a host path,
 * so including it would make the same step miss the cache after a project is moved, cloned or run
 * from a temporary folder. What a command reads through its cwd belongs in `inputs`, which are
 * hashed by content. The inherited environment is left out for the same reason (HOME, PWD, …).
 */
export async function commandIdentity(opts: { argv: readonly string[]; env?: CommandEnv; cwd?: string }): Promise<CommandIdentity> {
  if (!Array.isArray(opts.argv) || opts.argv.length === 0 || !opts.argv.every((a) => typeof a === 'string')) {
    throw ConfigurationError.invalidOption('command', opts.argv, 'a non-empty argv array of strings');
  }
  const executable = await resolveExecutable(opts.argv[0], opts.env, opts.cwd);
  return {
    binaryHash: await hashFile(executable, 'full'),
    argv: [path.basename(opts.argv[0]), ...opts.argv.slice(1)],
    env: sortedEntries(opts.env),
  };
}

/** `[name, value]` pairs sorted by name (code-unit order, locale independent). @internal */
export function sortedEntries(env: CommandEnv | undefined): [string, string][] {
  return Object.entries(env ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
