import { canonicalize } from 'json-canonicalize';
import { canonicalJson, toCanonicalValue, type JsonValue } from './canonical';
import { hashComponents } from './encoding';
import { runFieldsToJson, type RunFields } from './run-fields';

/** Result of {@link computeConfigHash}. */
export interface ConfigHash {
  /** SHA-256 hex over the canonical config and the canonical run fields. */
  hash: string;
  /** RFC 8785 canonical JSON of the config alone (what the snapshot stores). */
  canonical: string;
}

/**
 * Hashes a config together with the run fields that belong to the identity (step, model, year,
 * iteration, cache epoch/version, code version): `hashComponents([['config', canonical config],
 * ['run-fields', canonical run fields]])`.
 *
 * @throws ConfigError `CONFIG_NOT_CANONICAL` when the config (path `config…`) or a run field
 *   (path `runFields…`, e.g. a `NaN` year) has no canonical form.
 */
export function computeConfigHash(config: unknown, fields: RunFields): ConfigHash {
  return configHashOfCanonical(toCanonicalValue(config, 'config'), fields);
}

/** {@link computeConfigHash} of a config already normalized by `toCanonicalValue` (not normalized twice on the hot path). @internal */
export function configHashOfCanonical(config: JsonValue, fields: RunFields): ConfigHash {
  const canonical = canonicalize(config);
  const runFields = canonicalJson(runFieldsToJson(fields), 'runFields');
  return { hash: hashComponents([['config', canonical], ['run-fields', runFields]]), canonical };
}
