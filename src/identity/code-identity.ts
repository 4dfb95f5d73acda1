import { execFile } from 'node:child_process';
import * as nodePath from 'node:path';
import { promisify } from 'node:util';
import { CacheError } from '../errors';
import { hashComponents, type IdentityComponent } from './encoding';
import { sha256Hex } from './hash';

const run = promisify(execFile);

/** How a code identity was obtained. */
export type CodeIdentityMode = 'git' | 'class-source' | 'pinned';

/** The code part of a run's identity. */
export interface CodeIdentity {
  mode: CodeIdentityMode;
  /** `git:<HEAD>[+dirty:<sha256 of git diff HEAD>]`, `class-source:<hex>` or `pinned:<hex>`. */
  hash: string;
  /** True when `git` was asked for but unavailable, so `class-source` was used instead. */
  fellBack: boolean;
  /** One human-readable line on where the identity came from (stored with the run). */
  detail: string;
}

/** Options of {@link resolveCodeIdentity}. */
export interface CodeIdentityOptions {
  /** Requested mode; `pinned` is implied by a non-null {@link pinned}. */
  mode: 'git' | 'class-source';
  /** The step class or function whose source identifies the code in `class-source` mode. */
  target?: Function;
  /** An explicit code version (`@Step({ codeVersion })`); wins over every other mode. */
  pinned?: string | null;
  /** Working directory for git (default `process.cwd()`). */
  cwd?: string;
  /** Library base classes (e.g. `StepBase`) whose source is not part of the user's code. */
  stopAt?: readonly Function[];
}

type GitState = { ok: true; head: string; diffDigest: string | null } | { ok: false; why: string };

const gitCache = new Map<string, Promise<GitState>>();
const NATIVE_SOURCE = /\{\s*\[native code\]\s*\}\s*$/;

/**
 * Resolves the code identity of a step.
 *
 * - `pinned` (when given): `pinned:` + sha256 of the version string;
 * - `git`: HEAD plus a digest of `git diff HEAD` (uncommitted changes to tracked files; untracked
 *   files are ignored). Computed once per process per `cwd`. Outside a repository, in a repository
 *   without commits, or without a `git` binary, it falls back to `class-source` (`fellBack: true`);
 * - `class-source`: sha256 of the target's source and of each base class's source up the
 *   prototype chain, stopping at `stopAt` classes.
 *
 * @throws CacheError `CODE_IDENTITY_UNAVAILABLE` when no identity can be formed: no target outside
 *   git, or a target whose source is not available (native or bound functions).
 */
export async function resolveCodeIdentity(options: CodeIdentityOptions): Promise<CodeIdentity> {
  if (options.pinned !== undefined && options.pinned !== null) {
    return { mode: 'pinned', hash: `pinned:${sha256Hex(options.pinned)}`, fellBack: false,
      detail: `codeVersion '${options.pinned}'` };
  }
  if (options.mode === 'class-source') return classSourceIdentity(options, null);
  const git = await gitState(nodePath.resolve(options.cwd ?? process.cwd()));
  if (git.ok) {
    const hash = git.diffDigest === null ? `git:${git.head}` : `git:${git.head}+dirty:${git.diffDigest}`;
    const detail = `git HEAD ${git.head}${git.diffDigest === null ? '' : ' with uncommitted changes'}`;
    return { mode: 'git', hash, fellBack: false, detail };
  }
  return classSourceIdentity(options, git.why);
}

/** Forgets the per-process git identities (for tests that create or modify repositories). */
export function clearCodeIdentityCache(): void {
  gitCache.clear();
}

function classSourceIdentity(options: CodeIdentityOptions, gitFailure: string | null): CodeIdentity {
  const { target } = options;
  const name = target?.name || 'anonymous step';
  if (target === undefined) {
    const why = gitFailure === null ? 'no step class or function was given' : `git is unavailable (${gitFailure}) and no step class or function was given`;
    throw CacheError.codeIdentityUnavailable(name, why);
  }
  const chain = sourceChain(target, options.stopAt ?? []);
  const parts: IdentityComponent[] = [];
  for (const fn of chain) {
    const source = Function.prototype.toString.call(fn);
    if (NATIVE_SOURCE.test(source)) {
      throw CacheError.codeIdentityUnavailable(name, `the source of '${fn.name || 'anonymous'}' is not available (native or bound function)`);
    }
    parts.push(['source', source]);
  }
  const names = chain.map((fn) => fn.name || 'anonymous').join(' → ');
  const detail = gitFailure === null ? `source of ${names}` : `source of ${names} (git unavailable: ${gitFailure})`;
  return { mode: 'class-source', hash: `class-source:${hashComponents(parts)}`, fellBack: gitFailure !== null, detail };
}

/** The target followed by its base classes, up to (excluding) a `stopAt` class or `Function.prototype`. */
function sourceChain(target: Function, stopAt: readonly Function[]): Function[] {
  const chain: Function[] = [];
  let current: unknown = target;
  while (typeof current === 'function' && current !== Function.prototype && !stopAt.includes(current)) {
    chain.push(current);
    current = Object.getPrototypeOf(current);
  }
  return chain;
}

function gitState(cwd: string): Promise<GitState> {
  let state = gitCache.get(cwd);
  if (state === undefined) {
    state = readGitState(cwd);
    gitCache.set(cwd, state);
  }
  return state;
}

async function readGitState(cwd: string): Promise<GitState> {
  // GIT_OPTIONAL_LOCKS=0: reading the identity must never take the index lock of the user's repo.
  const opts = { env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' }, maxBuffer: 1024 * 1024 * 1024 };
  try {
    const head = (await run('git', ['-C', cwd, 'rev-parse', '--verify', 'HEAD'], opts)).stdout.trim();
    const diff = (await run('git', ['-C', cwd, 'diff', 'HEAD', '--no-ext-diff', '--no-color', '--binary'], opts)).stdout;
    return { ok: true, head, diffDigest: diff.length === 0 ? null : sha256Hex(diff) };
  } catch (err) {
    return { ok: false, why: describeGitFailure(err) };
  }
}

function describeGitFailure(err: unknown): string {
  const e = err as NodeJS.ErrnoException & { stderr?: string };
  if (e.code === 'ENOENT') return 'git is not installed';
  const firstLine = (e.stderr ?? e.message ?? String(err)).trim().split('\n')[0];
  return firstLine || 'git failed';
}
