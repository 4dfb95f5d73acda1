import * as path from 'node:path';
import { ModelConfigError } from '../errors';
import { loadHocon } from './beam-config';
import { ModelConfig } from './model-config';

/** Options of {@link beamConfig}. */
export interface BeamConfigOptions {
  /** The folder includes must stay in (default: the folder of `file`). BEAM's `../common/*.conf` needs a wider root. */
  root?: string;
}

/**
 * A BEAM (or any HOCON) config file as a step config: `tracker.run(Step, { config:
 * beamConfig('beamville/beam.conf', { root: 'test/input' }) })`. Includes (`include "x.conf"`,
 * `include required(file("x"))`) and substitutions (`${beam.inputDirectory}"/x.csv"`,
 * `${?BEAM_OUTPUT}` from the environment, `a += x`) are resolved; url/classpath includes, includes
 * outside `root` and code-running directives are refused. Nothing is read until the run starts.
 */
export function beamConfig(file: string, options: BeamConfigOptions = {}): ModelConfig {
  if (typeof file !== 'string' || !file) throw ModelConfigError.notFound('file', String(file));
  const root = options.root ?? path.dirname(path.resolve(file));
  return new ModelConfig({ kind: 'beam', describe: `beam ${path.basename(file)}`, load: () => loadHocon(file, root) });
}
