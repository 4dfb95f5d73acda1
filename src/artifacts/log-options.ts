import { ConfigurationError } from '../errors';
import { toCanonicalValue } from '../identity/canonical';
import { assertArtifactKey } from '../model/artifact-key';
import type { LogArtifactOptions } from './artifact-store';

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const STRINGS = ['driver', 'schemaId', 'facetNamespace', 'contentHash'] as const;
const BOOLEANS = ['profileSchema', 'forceHashOverride', 'validateContentHash'] as const;

/**
 * Rejects a bad `logArtifact` reference or options (plain-JS callers included) with
 * `CONFIGURATION_INVALID` / `ARTIFACT_KEY_INVALID` / `CONFIG_NOT_CANONICAL`, before any schema is
 * recorded or any file is hashed. @internal
 */
export function assertLogArtifactArgs(ref: unknown, o: LogArtifactOptions): void {
  if (typeof ref !== 'string' || !ref.trim()) throw ConfigurationError.invalidOption('ref', ref, 'a non-empty file path or URI');
  if (!isPlainObject(o)) throw ConfigurationError.invalidOption('options', o, 'an object');
  if (o.key !== undefined) assertArtifactKey(o.key);
  if (o.direction !== undefined && o.direction !== 'input' && o.direction !== 'output') {
    throw ConfigurationError.invalidOption('direction', o.direction, "'input' | 'output'");
  }
  for (const k of STRINGS) {
    if (o[k] !== undefined && (typeof o[k] !== 'string' || !o[k])) throw ConfigurationError.invalidOption(k, o[k], 'a non-empty string');
  }
  for (const k of BOOLEANS) {
    if (o[k] !== undefined && typeof o[k] !== 'boolean') throw ConfigurationError.invalidOption(k, o[k], 'a boolean');
  }
  if (o.schema !== undefined && typeof o.schema !== 'function') throw ConfigurationError.invalidOption('schema', o.schema, 'a @Table class');
  for (const k of ['facet', 'meta'] as const) {
    if (o[k] === undefined) continue;
    if (!isPlainObject(o[k])) throw ConfigurationError.invalidOption(k, o[k], 'a plain object');
    toCanonicalValue(o[k], k);
  }
}
