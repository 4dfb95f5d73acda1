import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ArtifactError, CacheError, ConfigurationError } from '../errors';
import { hashPath } from '../identity/hash';
import type { Artifact } from '../model';

/**
 * Where each output goes below a target folder, keeping the layout it had: an output inside its
 * run's folder (`run://<id>/it_0/linkstats.csv`) keeps its path relative to that folder
 * (`it_0/linkstats.csv`); outputs elsewhere keep their paths relative to their common folder.
 * Two outputs never map to the same place unless they were the same file. @internal
 */
export function outputLayout(outputs: Record<string, Artifact>): Record<string, string> {
  const out: Record<string, string> = {};
  const outside: Array<[string, string]> = [];
  for (const [key, a] of Object.entries(outputs)) {
    const m = /^run:\/\/[^/]+\/(.+)$/s.exec(a.uri);
    if (m) out[key] = m[1];
    else outside.push([key, path.resolve(a.path)]);
  }
  const root = commonFolder(outside.map(([, p]) => p));
  for (const [key, p] of outside) out[key] = path.relative(root, p) || path.basename(p);
  return out;
}

function commonFolder(paths: readonly string[]): string {
  if (!paths.length) return '';
  let root = path.dirname(paths[0]);
  while (!paths.every((p) => p.startsWith(root.endsWith(path.sep) ? root : root + path.sep))) root = path.dirname(root);
  return root;
}

/**
 * Copies each output to `<dir>/<layout path>` and verifies the copy against the hash its run
 * recorded (`sha256:` directly; a `fast:` hash by checking the source is unchanged and the copy
 * has the source's bytes). A gone source is `CACHE_OUTPUT_MISSING`; a mismatch removes the copy
 * and is `ARTIFACT_HASH_MISMATCH`. Returns key → copied path. @internal
 */
export async function copyOutputs(outputs: Record<string, Artifact>, dir: string): Promise<Record<string, string>> {
  const layout = outputLayout(outputs);
  const done: Record<string, string> = {};
  for (const [key, a] of Object.entries(outputs)) {
    const dest = path.join(path.resolve(dir), layout[key]);
    if (!(await fs.stat(a.path).then(() => true, () => false))) throw CacheError.cachedOutputMissing(a.runId ?? '?', key, a.path);
    await fs.mkdir(path.dirname(dest), { recursive: true });
    await fs.cp(a.path, dest, { recursive: true, force: true });
    await verifyCopy(a, dest);
    done[key] = dest;
  }
  return done;
}

async function verifyCopy(a: Artifact, dest: string): Promise<void> {
  if (!a.hash) return;
  const expected = a.hash.startsWith('fast:') ? await hashPath(a.path, 'fast') : a.hash;
  const actual = a.hash.startsWith('fast:')
    ? (await hashPath(a.path, 'full')) === (await hashPath(dest, 'full')) ? expected : 'a copy with other bytes'
    : await hashPath(dest, 'full');
  if (expected !== a.hash || actual !== expected) {
    await fs.rm(dest, { recursive: true, force: true });
    throw ArtifactError.copyMismatch(a.uri, dest, a.hash, expected !== a.hash ? expected : actual);
  }
}

/** Options of `tracker.hydrateRunOutputs`. */
export interface HydrateRunOutputsOptions {
  /** Only these output keys (default: every output). An unknown key is `CONFIGURATION_INVALID`. */
  keys?: readonly string[];
}

/** The outputs `options.keys` selects, checked before anything is copied. @internal */
export function selectOutputs(outputs: Record<string, Artifact>, options: HydrateRunOutputsOptions, runId: string): Record<string, Artifact> {
  if (typeof options !== 'object' || options === null) throw ConfigurationError.invalidOption('options', options, 'an object ({ keys })');
  if (options.keys === undefined) return outputs;
  if (!Array.isArray(options.keys)) throw ConfigurationError.invalidOption('keys', options.keys, 'an array of output keys');
  const unknown = options.keys.filter((k) => !(k in outputs));
  if (unknown.length) {
    throw ConfigurationError.invalidOption('keys', unknown, `output keys of run '${runId}' (${Object.keys(outputs).join(', ') || 'none'})`);
  }
  return Object.fromEntries(options.keys.map((k) => [k, outputs[k]]));
}
