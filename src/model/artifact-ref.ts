import { ConfigurationError } from '../errors';
import type { Artifact } from './artifact';

/**
 * `CONFIGURATION_INVALID` unless `ref` is an artifact id (non-empty string) or an {@link Artifact}-like
 * object (string `id` and `uri`), for plain-JS callers of `load`, `lineage`, `ingest`. @internal
 */
export function assertArtifactRef(ref: unknown): asserts ref is Artifact | string {
  if (typeof ref === 'string' && ref) return;
  const a = ref as Partial<Artifact> | null;
  if (typeof a === 'object' && a !== null && !Array.isArray(a) && typeof a.id === 'string' && typeof a.uri === 'string') return;
  throw ConfigurationError.invalidOption('artifact', ref, 'an artifact id or an Artifact');
}
