import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The package root: the nearest folder above this file holding `package.json` (src/, dist/ or dist-examples/src/). */
export function packageRoot(): string | undefined {
  for (let dir = __dirname, i = 0; i < 5; i++, dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
  }
  return undefined;
}

/** What the package says about itself (package.json), read once. */
export interface PackageInfo {
  name: string;
  version: string;
  /** The source repository as a browsable `https://` URL (no `git+`, no `.git`), when package.json names one. */
  repositoryUrl: string | undefined;
}

let info: PackageInfo | undefined;

/** `github:o/n`, `o/n`, `git+https://github.com/o/n.git`, `{ url }` → `https://github.com/o/n`; undefined otherwise. */
export function repositoryUrlOf(repository: unknown): string | undefined {
  const raw = typeof repository === 'string' ? repository
    : typeof repository === 'object' && repository !== null ? (repository as { url?: unknown }).url : undefined;
  if (typeof raw !== 'string' || !raw.trim()) return undefined;
  const s = raw.trim();
  const short = /^(?:github:)?([\w.-]+\/[\w.-]+)$/.exec(s);
  if (short) return `https://github.com/${short[1].replace(/\.git$/, '')}`;
  const url = /^(?:git\+)?(https?:\/\/[^\s]+?)(?:\.git)?\/?$/.exec(s) ?? /^git:\/\/([^\s]+?)(?:\.git)?\/?$/.exec(s);
  if (!url) return undefined;
  return url[1].startsWith('http') ? url[1] : `https://${url[1]}`;
}

/** name, version and repository of this package, from its package.json (read once per process). */
export function packageInfo(): PackageInfo {
  if (info) return info;
  const root = packageRoot();
  let pkg: { name?: unknown; version?: unknown; repository?: unknown } = {};
  try {
    if (root) pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as typeof pkg;
  } catch {
    // an unreadable package.json leaves the defaults below
  }
  info = {
    name: typeof pkg.name === 'string' ? pkg.name : 'consist-ts',
    version: typeof pkg.version === 'string' ? pkg.version : '0.0.0',
    repositoryUrl: repositoryUrlOf(pkg.repository),
  };
  return info;
}
