import { diffConfigPaths, type IdentityRecord, type JsonValue } from '../identity';
import type { Run } from '../model';
import type { ConfigKeyChange } from './config-changes';

/** Which identity component an explanation talks about. */
export type IdentityComponentName = 'code' | 'config' | 'inputs';

/** How one input differs from the compared run. */
export interface InputChange { key: string; change: 'added' | 'removed' | 'content' | 'producer' }

/** Why a step missed the cache, against the closest earlier run of the same step (API.md §6). */
export interface CacheMissExplanation {
  reason: 'no_similar_prior_run' | 'code_changed' | 'config_changed' | 'inputs_changed' | 'multiple_changes'
    | 'cache_mode_overwrite' | 'candidate_outputs_invalid';
  /** The earlier run compared against, if any. */
  comparedRunId: string | null;
  matchedComponents: IdentityComponentName[];
  mismatchedComponents: IdentityComponentName[];
  details: {
    /** Config key paths that changed (`weights[3]`, `scenario.gas_price`). */
    configKeysChanged?: string[];
    /** For a model config (`activitysimConfig`, `beamConfig`): each changed key with its file and line. */
    configChanges?: ConfigKeyChange[];
    /** Run fields folded into the config hash that changed (`year`, `cacheEpoch`, `cacheVersion`, …). */
    runFieldsChanged?: string[];
    inputsChanged?: InputChange[];
    codeBefore?: string;
    codeAfter?: string;
  };
}

/** The identity record stored in `run.meta.identity`, if any. @internal */
export const identityOf = (run: Run): IdentityRecord | undefined => run.meta.identity as IdentityRecord | undefined;

/** Picks the earlier run whose identity shares the most components with `current` (newest wins ties). @internal */
export function closestRun(current: IdentityRecord, candidates: readonly Run[]): Run | undefined {
  let best: { run: Run; score: number } | undefined;
  for (const run of candidates) {
    const id = identityOf(run);
    if (!id) continue;
    // Score as the explanation sees it: a bumped codeVersion (folded into the config hash) is one change, not two.
    const score = 3 - explainMiss(current, run).mismatchedComponents.length;
    if (!best || score > best.score) best = { run, score };
  }
  return best?.run;
}

/** Explains the difference between `current` and an earlier run's identity. */
export function explainMiss(current: IdentityRecord, previous: Run | undefined): CacheMissExplanation {
  const prev = previous && identityOf(previous);
  if (!previous || !prev) {
    return { reason: 'no_similar_prior_run', comparedRunId: null, matchedComponents: [], mismatchedComponents: [], details: {} };
  }
  const mismatched: IdentityComponentName[] = [];
  const details: CacheMissExplanation['details'] = {};
  if (prev.codeHash !== current.codeHash) {
    mismatched.push('code');
    Object.assign(details, { codeBefore: prev.codeHash, codeAfter: current.codeHash });
  }
  if (prev.configHash !== current.configHash) {
    const keys = diffConfigPaths(prev.config, current.config);
    const fields = diffConfigPaths(prev.runFields as unknown as JsonValue, current.runFields as unknown as JsonValue);
    // A pinned codeVersion is folded into the config hash too; that change is a code change.
    const onlyCodeVersion = keys.length === 0 && fields.length === 1 && fields[0] === 'codeVersion' && mismatched.includes('code');
    if (!onlyCodeVersion) {
      mismatched.push('config');
      Object.assign(details, { configKeysChanged: keys, runFieldsChanged: fields });
    }
  }
  if (prev.inputHash !== current.inputHash) {
    mismatched.push('inputs');
    details.inputsChanged = diffInputs(prev, current);
  }
  const matched = (['code', 'config', 'inputs'] as const).filter((c) => !mismatched.includes(c));
  const reason = mismatched.length === 1 ? (`${mismatched[0]}_changed` as const)
    : mismatched.length === 0 ? 'candidate_outputs_invalid' : 'multiple_changes';
  return { reason, comparedRunId: previous.id, matchedComponents: [...matched], mismatchedComponents: mismatched, details };
}

function diffInputs(prev: IdentityRecord, current: IdentityRecord): InputChange[] {
  const before = new Map(prev.inputs.map((i) => [i.key, i]));
  const after = new Map(current.inputs.map((i) => [i.key, i]));
  const changes: InputChange[] = [];
  for (const [key, i] of after) {
    const p = before.get(key);
    if (!p) changes.push({ key, change: 'added' });
    else if (p.contribution !== i.contribution) {
      // Only a Merkle link (`sig:`) contribution changes with the producer; a content hash changes with the bytes.
      const linked = p.contribution.startsWith('sig:') || i.contribution.startsWith('sig:');
      changes.push({ key, change: linked && p.producerRunId !== i.producerRunId ? 'producer' : 'content' });
    }
  }
  for (const key of before.keys()) if (!after.has(key)) changes.push({ key, change: 'removed' });
  return changes.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
