/**
 * Model configs as step configs (PILATES-style: ActivitySim + BEAM). An ActivitySim configs folder
 * with a `configs_mp` overlay and a BEAM `.conf` with an include are given to steps as
 * `activitysimConfig(...)` / `beamConfig(...)`: editing a comment is still a cache hit, editing a
 * value misses and names the key with its file and line, and `withOverrides` runs a variant
 * without editing any file. Run with `node dist-examples/examples/pilates/configs.js [workDir]`
 * after `npm run build`.
 */
import 'reflect-metadata';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { activitysimConfig, beamConfig, Step, StepBase, Tracker, withOverrides, type RunResult } from '../../src';

/** Stands in for `activitysim run -c configs_mp -c configs`: reads the resolved settings. */
@Step({ outputs: ['summary'], codeVersion: '1' })
class ActivitySimStep extends StepBase<{ settings: { households_sample_size: number; models: string[] } }> {
  async run(): Promise<{ summary: Record<string, unknown>[] }> {
    const s = this.config.settings;
    return { summary: [{ sample: s.households_sample_size, models: s.models.length }] };
  }
}

/** Stands in for BEAM: reads the resolved HOCON tree. */
@Step({ outputs: ['summary'], codeVersion: '1' })
class BeamStep extends StepBase<{ beam: { agentsim: { agentSampleSizeAsFractionOfPopulation: number } } }> {
  async run(): Promise<{ summary: Record<string, unknown>[] }> {
    return { summary: [{ fraction: this.config.beam.agentsim.agentSampleSizeAsFractionOfPopulation }] };
  }
}

function writeConfigs(dir: string): void {
  const files: Record<string, string> = {
    'configs/settings.yaml': '# region settings\nmodels:\n  - initialize_households\n  - school_location\nhouseholds_sample_size: 100\nchunk_training_mode: off\n',
    'configs/school_location.yaml': 'SAMPLE_SIZE: 30\nSPEC: school_location.csv\n',
    'configs/school_location.csv': 'Label,Expression,coefficient\nutil_dist,@df.distance,coef_dist\n',
    'configs_mp/settings.yaml': 'inherit_settings: true\nmultiprocess: yes\nnum_processes: 2\n',
    'beam/common/akka.conf': 'akka.loglevel = "INFO"\n',
    'beam/town/beam.conf': 'include "../common/akka.conf"\nbeam.inputDirectory = "input/town"\nbeam.agentsim.agentSampleSizeAsFractionOfPopulation = 0.5\nbeam.agentsim.agents.plans.inputPlansFilePath = ${beam.inputDirectory}"/population.xml"\n',
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
}

const outcome = (r: RunResult) => (r.cacheHit ? 'hit' : `miss: ${(r.cacheMissReason?.details.configChanges ?? []).map((c) => c.text).join('; ') || r.cacheMissReason?.reason}`);

/** Runs the example in `workDir`; returns one line per call. */
export async function main(workDir: string, print: (s: string) => void = console.log): Promise<string[]> {
  writeConfigs(workDir);
  const at = (rel: string) => path.join(workDir, rel);
  const asim = () => activitysimConfig(at('configs'), { overlays: [at('configs_mp')] });
  const beam = () => beamConfig(at('beam/town/beam.conf'), { root: at('beam') });
  const tracker = await Tracker.open({ runDir: at('runs') });
  const lines: string[] = [];
  const step = async (label: string, run: () => Promise<RunResult>) => {
    const line = `${label.padEnd(30)} ${outcome(await run())}`;
    lines.push(line);
    print(line);
  };
  try {
    await step('activitysim, first run', () => tracker.run(ActivitySimStep, { config: asim() }));
    const settings = at('configs/settings.yaml');
    writeFileSync(settings, readFileSync(settings, 'utf8').replace('# region settings', '# region settings (reviewed)'));
    await step('after a comment edit', () => tracker.run(ActivitySimStep, { config: asim() }));
    writeFileSync(settings, readFileSync(settings, 'utf8').replace('households_sample_size: 100', 'households_sample_size: 200'));
    await step('after a value edit', () => tracker.run(ActivitySimStep, { config: asim() }));
    const variant = withOverrides(asim(), { 'settings.households_sample_size': 1000 });
    await step('with an override', () => tracker.run(ActivitySimStep, { config: variant }));
    await step('beam, first run', () => tracker.run(BeamStep, { config: beam() }));
    writeFileSync(at('beam/common/akka.conf'), 'akka.loglevel = "DEBUG"\n');
    await step('beam, included file edited', () => tracker.run(BeamStep, { config: beam() }));
    return lines;
  } finally {
    await tracker.close();
  }
}

if (require.main === module) {
  main(path.resolve(process.argv[2] ?? 'pilates-configs-demo')).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
