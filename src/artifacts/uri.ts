import * as path from 'node:path';
import { ArtifactError } from '../errors';

/** Mount name → absolute root directory, e.g. `{ inputs: '/mnt/data' }`. */
export type Mounts = Readonly<Record<string, string>>;

const SCHEME = /^([A-Za-z][A-Za-z0-9_-]*):\/\/(.*)$/s;
const MOUNT_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** Resolves URIs to local paths and paths to portable URIs, through the mounts and the runs folder. */
export class UriResolver {
  private readonly mounts: ReadonlyArray<[string, string]>;
  private readonly runDir: string;

  constructor(runDir: string, mounts: Mounts = {}) {
    this.runDir = path.resolve(runDir);
    for (const name of Object.keys(mounts)) {
      if (!MOUNT_NAME.test(name) || name === 'run' || name === 'file') {
        throw ArtifactError.invalidUri(`${name}://`, `mount name '${name}' must match ${MOUNT_NAME} and not be 'run' or 'file'`);
      }
    }
    this.mounts = Object.entries(mounts)
      .map(([name, root]): [string, string] => [name, path.resolve(root)])
      .sort((a, b) => b[1].length - a[1].length);
  }

  /** True when `ref` looks like `scheme://…`. */
  static isUri(ref: string): boolean {
    return SCHEME.test(ref);
  }

  /** An absolute path → `run://<id>/…` (inside the runs folder), `<mount>://…` (longest prefix), or itself. */
  toUri(absPath: string): string {
    const p = path.resolve(absPath);
    const inRuns = relativeInside(this.runDir, p);
    if (inRuns !== undefined && inRuns.includes('/')) return `run://${inRuns}`;
    for (const [name, root] of this.mounts) {
      const rel = relativeInside(root, p);
      if (rel !== undefined) return `${name}://${rel}`;
    }
    return p.split(path.sep).join('/');
  }

  /** A URI (or plain path) → absolute local path. Escaping a mount root is `ARTIFACT_URI_INVALID`. */
  toPath(ref: string): string {
    if (!ref) throw ArtifactError.invalidUri(ref, 'it is empty (a path would resolve to the current directory)');
    if (ref.includes('\u0000')) throw ArtifactError.invalidUri(ref, 'it contains a NUL character');
    const m = SCHEME.exec(ref);
    if (!m) return path.resolve(ref);
    const [, scheme, rest] = m;
    if (scheme === 'file') return path.resolve(rest);
    const root = scheme === 'run' ? this.runDir : this.mounts.find(([n]) => n === scheme)?.[1];
    if (root === undefined) {
      throw ArtifactError.invalidUri(ref, `no mount named '${scheme}' (known: ${this.mounts.map(([n]) => n).join(', ') || 'none'}); pass mounts: { ${scheme}: '/path' } to Tracker.open`);
    }
    const resolved = path.resolve(root, rest);
    if (relativeInside(root, resolved) === undefined) throw ArtifactError.invalidUri(ref, `it escapes the root of '${scheme}://'`);
    return resolved;
  }
}

/** Posix relative path of `p` inside `root`, or undefined when `p` is outside (or equal to) it. */
function relativeInside(root: string, p: string): string | undefined {
  const rel = path.relative(root, p);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}
