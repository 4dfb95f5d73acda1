import { ModelConfigError } from '../errors';
import { applyOverrides } from './overrides';
import type { ResolvedModelConfig } from './source-position';

/** What a {@link ModelConfig} is read from. @internal */
export interface ModelConfigSpec {
  kind: ResolvedModelConfig['kind'];
  /** Human description (`activitysim configs_mp/ + configs/`). */
  describe: string;
  load: () => ResolvedModelConfig;
  overrides?: Readonly<Record<string, unknown>>;
}

/**
 * A model configuration read from files (an ActivitySim configs folder list, a BEAM `.conf`), given
 * to `tracker.run(Step, { config })`. It is read when the run starts (so edits between runs are
 * seen); the step gets the resolved config as plain JSON, the cache hashes it key by key, the files
 * read are recorded as inputs of the run, and a cache miss names the changed key with its file and
 * line. Build one with `activitysimConfig` or `beamConfig`; derive variants with {@link withOverrides}.
 */
export class ModelConfig {
  /** @internal */
  constructor(private readonly spec: ModelConfigSpec) {}

  /** `activitysim` or `beam`. */
  get kind(): ResolvedModelConfig['kind'] { return this.spec.kind; }

  /** Where the config is read from. */
  get description(): string { return this.spec.describe; }

  /**
   * Reads and resolves the files now (and applies overrides).
   * @throws ModelConfigError naming the file and line for bad input.
   */
  async resolve(): Promise<ResolvedModelConfig> {
    return applyOverrides(this.spec.load(), this.spec.overrides ?? {});
  }

  /** A copy with more overrides (later keys win); the files are not touched. */
  withOverrides(overrides: Readonly<Record<string, unknown>>): ModelConfig {
    if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
      throw ModelConfigError.overrideInvalid(String(overrides), "expected an object such as { 'settings.households_sample_size': 500 }");
    }
    return new ModelConfig({ ...this.spec, overrides: { ...(this.spec.overrides ?? {}), ...overrides } });
  }
}

/** True for a {@link ModelConfig}. */
export function isModelConfig(value: unknown): value is ModelConfig {
  return value instanceof ModelConfig;
}

/**
 * Derives a variant of a model config with some keys set, without editing files
 * (`withOverrides(cfg, { 'settings.households_sample_size': 500 })`). Dotted keys walk objects,
 * numeric segments index lists. The override is part of the config hash, and a cache miss caused
 * by it says `(override) settings.households_sample_size 100 → 500`.
 *
 * @throws ModelConfigError `CONFIG_OVERRIDE_INVALID` when `overrides` is not an object; a bad path is reported when the run resolves the config.
 */
export function withOverrides(config: ModelConfig, overrides: Readonly<Record<string, unknown>>): ModelConfig {
  if (!isModelConfig(config)) throw ModelConfigError.overrideInvalid('(config)', 'withOverrides takes a config made by activitysimConfig or beamConfig');
  return config.withOverrides(overrides);
}
