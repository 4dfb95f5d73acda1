import { ArtifactError } from '../errors';

const KEY = /^[A-Za-z0-9_][A-Za-z0-9_.:/-]{0,255}$/;

/** Throws `ARTIFACT_KEY_INVALID` unless `key` matches `^[A-Za-z0-9_][A-Za-z0-9_.:/-]{0,255}$` without `..`. */
export function assertArtifactKey(key: unknown): asserts key is string {
  if (typeof key !== 'string') throw ArtifactError.invalidKey(key, `expected a string, got ${typeof key}`);
  if (key.includes('\u0000')) throw ArtifactError.invalidKey(key, 'it contains a NUL character');
  if (!KEY.test(key)) throw ArtifactError.invalidKey(key, 'it has characters outside the allowed set or is too long');
  if (key.includes('..')) throw ArtifactError.invalidKey(key, "it contains '..'");
}

/** True when `key` is a valid artifact key. */
export const isValidArtifactKey = (key: unknown): key is string => {
  try {
    assertArtifactKey(key);
    return true;
  } catch {
    return false;
  }
};

/** A key derived from a file name: `data/persons.csv.gz` → `persons`. */
export function keyFromPath(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  const stem = base.replace(/\.gz$/i, '').replace(/\.[^.]+$/, '');
  return stem.replace(/[^A-Za-z0-9_.:/-]/g, '_').replace(/^[^A-Za-z0-9_]/, '_').replace(/\.{2,}/g, '_') || 'file';
}

/**
 * A key from a path relative to a captured folder, without the extension: `it_0/linkstats.csv.gz`
 * → `it_0/linkstats`, so files with the same name in different subfolders are different outputs.
 */
export function keyFromRelativePath(rel: string): string {
  const parts = rel.split(/[\\/]/).filter((p) => p && p !== '.');
  const file = keyFromPath(parts.pop() ?? rel);
  const dirs = parts.map((d) => d.replace(/[^A-Za-z0-9_.:-]/g, '_').replace(/^[^A-Za-z0-9_]/, '_').replace(/\.{2,}/g, '_'));
  return [...dirs, file].join('/');
}
