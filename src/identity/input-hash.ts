import { CacheError } from '../errors';
import { compareText, hashComponents, type IdentityComponent } from './encoding';
import type { HashingMode } from './hash';

/** What the identity needs to know about one input of a run. */
export interface InputIdentity {
  /** The key the step reads the input under. */
  key: string;
  /** `sha256:<hex>` (full) or `fast:<hex>` (fast) hash of the input's bytes, when known. */
  contentHash: string | null;
  /** Signature of the run that produced the input, or `null` for a raw file. */
  producerSignature: string | null;
  /** The hashing mode in force for this input. */
  hashing: HashingMode;
}

/**
 * Input hash of a run without inputs: the SHA-256 of the empty encoding
 * (`hashComponents([])`, i.e. `sha256("")`).
 */
export const EMPTY_INPUT_HASH = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/**
 * The string one input contributes to the input hash. The URI never counts, so moving a file does
 * not break the cache.
 *
 * - `full`: the content hash. Identical bytes from another producer give the same contribution,
 *   so a downstream step re-runs only when the bytes it reads changed (early cut-off). If the
 *   content hash is unknown, a produced input falls back to its producer link (`sig:<signature>`).
 * - `fast`: a produced input contributes `sig:<producer signature>` (Merkle link, since a `fast:`
 *   hash says nothing about content); a raw file contributes its `fast:` hash.
 *
 * @throws CacheError `INPUT_IDENTITY_UNAVAILABLE` when neither hash nor producer is known.
 */
export function inputContribution(input: InputIdentity): string {
  const link = input.producerSignature === null ? null : `sig:${input.producerSignature}`;
  const contribution = input.hashing === 'full' ? (input.contentHash ?? link) : (link ?? input.contentHash);
  if (contribution === null) throw CacheError.inputIdentityUnavailable(input.key, input.hashing);
  return contribution;
}

/**
 * Hashes the inputs of a run, independently of their order: the (key, contribution) pairs sorted
 * by key (then contribution) and encoded as `['key', k], ['input', c]` components. No inputs →
 * {@link EMPTY_INPUT_HASH}.
 */
export function computeInputHash(inputs: readonly InputIdentity[]): string {
  const pairs = inputs.map((input) => [input.key, inputContribution(input)] as const);
  pairs.sort((a, b) => compareText(a[0], b[0]) || compareText(a[1], b[1]));
  const parts: IdentityComponent[] = [];
  for (const [key, contribution] of pairs) parts.push(['key', key], ['input', contribution]);
  return hashComponents(parts);
}
