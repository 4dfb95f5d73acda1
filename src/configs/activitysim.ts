import * as path from 'node:path';
import { ModelConfigError } from '../errors';
import { loadActivitySim } from './activitysim-config';
import { ModelConfig } from './model-config';

/** Options of {@link activitysimConfig}. */
export interface ActivitySimConfigOptions {
  /** Folders searched before `dir`, first match wins per file (ActivitySim's `-c configs_mp -c configs`). */
  overlays?: readonly string[];
}

/**
 * An ActivitySim configs folder as a step config: `tracker.run(Step, { config:
 * activitysimConfig('configs/', { overlays: ['configs_mp/'] }) })`. YAML is read as PyYAML reads
 * it (YAML 1.1); `settings.yaml` becomes `config.settings`, `school_location.yaml` becomes
 * `config.school_location`, and other files (expression CSVs) are hashed into `config.$files`.
 * Nothing is read until the run starts.
 */
export function activitysimConfig(dir: string, options: ActivitySimConfigOptions = {}): ModelConfig {
  if (typeof dir !== 'string' || !dir) throw ModelConfigError.notFound('folder', String(dir));
  const overlays = options.overlays ?? [];
  if (!Array.isArray(overlays) || overlays.some((o) => typeof o !== 'string')) throw ModelConfigError.notFound('overlay list', String(overlays));
  const dirs = [...overlays, dir];
  return new ModelConfig({
    kind: 'activitysim',
    describe: `activitysim ${dirs.map((d) => path.basename(path.resolve(d))).join(' + ')}`,
    load: () => loadActivitySim(dirs),
  });
}
