import { buildIdentity, resolveCodeIdentity, type IdentityRecord } from '../identity';
import type { HashingMode } from '../identity/hash';
import type { StepDefinition } from '../metadata/compile-step';
import type { RunLookup } from '../provenance/run-repository';
import type { CodeIdentityMode } from '../recording/tracker-options';
import type { ResolvedInput } from './input-resolver';
import { StepBase } from './step-base';

/** Everything the identity of one step run depends on. @internal */
export interface StepIdentityInput {
  def: StepDefinition;
  /** The step class, or the function of a function step. */
  code: Function;
  config: object;
  inputs: readonly ResolvedInput[];
  model: string | null;
  year: number | null;
  iteration: number | null;
  cacheEpoch: number;
  cacheVersion: number;
}

/** Settings of the tracker that shape identities. @internal */
export interface IdentitySettings { hashing: HashingMode; codeIdentity: CodeIdentityMode; projectRoot: string }

/** Computes code, config and input hashes and the signature of one step run. @internal */
export async function computeStepIdentity(s: StepIdentityInput, settings: IdentitySettings, runs: RunLookup): Promise<IdentityRecord> {
  const code = await resolveCodeIdentity({
    mode: settings.codeIdentity, target: s.code, pinned: s.def.codeVersion, cwd: settings.projectRoot, stopAt: [StepBase],
  });
  const signatures = new Map<string, string | null>();
  const inputs = [];
  for (const { key, artifact } of s.inputs) {
    const producer = artifact.runId;
    if (producer && !signatures.has(producer)) signatures.set(producer, (await runs.get(producer))?.signature ?? null);
    inputs.push({
      key, contentHash: artifact.hash, producerSignature: producer ? signatures.get(producer) ?? null : null,
      hashing: settings.hashing, producerRunId: producer,
    });
  }
  return buildIdentity({
    code, config: s.config, inputs,
    runFields: {
      step: s.def.name, model: s.model, year: s.year, iteration: s.iteration, cacheEpoch: s.cacheEpoch,
      cacheVersion: s.cacheVersion, codeVersion: s.def.codeVersion,
    },
  });
}
