import { describeConfigChanges } from '../cache/config-changes';
import type { CacheMissExplanation } from '../cache/miss-explanation';
import { isModelConfig } from '../configs/model-config';
import type { ResolvedModelConfig } from '../configs/source-position';
import type { JsonValue } from '../identity';
import type { Run } from '../model';
import type { InputResolver, ResolvedInput } from './input-resolver';

/** A model config resolved for one run: its value, the files read (as inputs) and where each key came from. @internal */
export interface BoundModelConfig {
  resolved: ResolvedModelConfig;
  files: ResolvedInput[];
}

/** Resolves `options.config` when it is a `ModelConfig` (reading its files); undefined otherwise. @internal */
export async function bindModelConfig(given: unknown, inputs: InputResolver): Promise<BoundModelConfig | undefined> {
  if (!isModelConfig(given)) return undefined;
  const resolved = await given.resolve();
  return { resolved, files: await inputs.describeConfigFiles(resolved.files, resolved.fileNames) };
}

/** What the run records in `meta.modelConfig`. @internal */
export function modelConfigMeta(b: BoundModelConfig): Record<string, unknown> {
  return { kind: b.resolved.kind, files: b.resolved.fileNames, overrides: b.resolved.overrides };
}

/** Adds `details.configChanges` (key, file, line, before → after) to a miss explanation. @internal */
export function locateConfigChanges(explanation: CacheMissExplanation, current: JsonValue, previous: Run | undefined, b: BoundModelConfig): void {
  const keys = explanation.details.configKeysChanged;
  const before = (previous?.meta.identity as { config?: JsonValue } | undefined)?.config;
  if (!keys?.length || before === undefined) return;
  const prevMeta = previous?.meta.modelConfig as { overrides?: Record<string, unknown> } | undefined;
  explanation.details.configChanges = describeConfigChanges({
    keys, before, after: current, positions: b.resolved.positions, previousOverrides: Object.keys(prevMeta?.overrides ?? {}),
  });
}
