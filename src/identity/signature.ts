import { toCanonicalValue, type JsonValue } from './canonical';
import type { CodeIdentity, CodeIdentityMode } from './code-identity';
import { configHashOfCanonical } from './config-hash';
import { compareText, hashComponents } from './encoding';
import { computeInputHash, inputContribution, type InputIdentity } from './input-hash';
import type { RunFields } from './run-fields';

/** The three hashes a signature is made of. */
export interface SignatureComponents {
  codeHash: string;
  configHash: string;
  inputHash: string;
}

/**
 * The run signature (the cache key): SHA-256 hex of
 * `hashComponents([['code', codeHash], ['config', configHash], ['inputs', inputHash]])`.
 */
export function computeSignature(components: SignatureComponents): string {
  return hashComponents([
    ['code', components.codeHash],
    ['config', components.configHash],
    ['inputs', components.inputHash],
  ]);
}

/** One input as recorded in an {@link IdentityRecord}. */
export interface IdentityRecordInput {
  key: string;
  /** What the input contributed to the input hash (see `inputContribution`). */
  contribution: string;
  /** The run that produced the input (lineage), whether or not it was hashed. */
  producerRunId: string | null;
}

/**
 * Everything a signature was computed from, stored in the run snapshot so that a later cache
 * miss can be explained component by component.
 */
export interface IdentityRecord extends SignatureComponents {
  signature: string;
  codeMode: CodeIdentityMode;
  codeFellBack: boolean;
  runFields: RunFields;
  /** The canonical plain config that was hashed. */
  config: JsonValue;
  /** Inputs sorted by key (then contribution). */
  inputs: IdentityRecordInput[];
}

/** An input of {@link buildIdentity}: its identity plus the run that produced it. */
export interface IdentityInput extends InputIdentity {
  producerRunId: string | null;
}

/** Options of {@link buildIdentity}. */
export interface BuildIdentityOptions {
  code: CodeIdentity;
  config: unknown;
  runFields: RunFields;
  inputs: readonly IdentityInput[];
}

/**
 * Computes config hash, input hash and signature, and returns them with their ingredients.
 *
 * @throws ConfigError `CONFIG_NOT_CANONICAL` for a config with no canonical form.
 * @throws CacheError `INPUT_IDENTITY_UNAVAILABLE` for an input with nothing to identify it by.
 */
export function buildIdentity(options: BuildIdentityOptions): IdentityRecord {
  const config = toCanonicalValue(options.config, 'config');
  const configHash = configHashOfCanonical(config, options.runFields).hash;
  const inputHash = computeInputHash(options.inputs);
  const codeHash = options.code.hash;
  const inputs = options.inputs
    .map((input) => ({ key: input.key, contribution: inputContribution(input), producerRunId: input.producerRunId }))
    .sort((a, b) => compareText(a.key, b.key) || compareText(a.contribution, b.contribution));
  return {
    signature: computeSignature({ codeHash, configHash, inputHash }),
    codeHash,
    codeMode: options.code.mode,
    codeFellBack: options.code.fellBack,
    configHash,
    inputHash,
    runFields: { ...options.runFields },
    config,
    inputs,
  };
}
