import { existsSync, writeFileSync } from 'node:fs';
import { beamConfig, Step, StepBase, withOverrides, type Tracker } from '../../../src/index';
import { openTestTracker, tmpWorkspace, type Workspace } from '../../helpers/workspace';

let calls = 0;
let seen: Record<string, unknown> = {};

@Step({ outputs: ['out'], codeVersion: '1' })
class RunBeam extends StepBase<Record<string, unknown>> {
  async run(): Promise<{ out: Record<string, unknown>[] }> {
    calls++;
    seen = this.config;
    return { out: [{ ok: true }] };
  }
}

const COMMON = `# shared settings (test fixture)
akka {
  loglevel = "INFO"
  actor.debug.receive = off
}
beam.inputDirectory = "test/input/town"
`;

const MAIN = `include "../common/akka.conf"
include required(file("../common/matsim"))

// agentsim
beam.agentsim.simulationName = "town"
beam.agentsim.agentSampleSizeAsFractionOfPopulation = 0.5
beam.agentsim.agents.plans {
  inputPlansFilePath = \${beam.inputDirectory}"/population.xml"
}
beam.physsim.flowCapacityFactor = 0.0001
beam.outputs.baseOutputDirectory = "output/town"
beam.outputs.baseOutputDirectory = \${?CONSIST_TEST_UNSET_VAR}
beam.outputs.defaultWriteInterval = 1
beam.outputs.writePlansInterval = \${beam.outputs.defaultWriteInterval}
beam.routing.r5.modes = ["car", "walk"]
beam.routing.r5.modes += "bike"
beam.debug.thresholds = [
  { markAsStuckAfterMs = 20000, triggerType = "A$B" },
  { markAsStuckAfterMs = 100 }
]
beam.note = """multi "line"
text"""
beam.path = \${PATH_PREFIX_FOR_TEST}/bin
`;

describe('beamConfig', () => {
  let ws: Workspace;
  let tracker: Tracker;
  const config = () => beamConfig(ws.path('input/town/beam.conf'), { root: ws.path('input') });

  beforeEach(async () => {
    ws = tmpWorkspace('consist-beam-');
    ws.file('input/common/akka.conf', COMMON);
    ws.file('input/common/matsim.conf', 'matsim.modules.global.randomSeed = 4711\n');
    ws.file('input/town/beam.conf', MAIN);
    process.env.PATH_PREFIX_FOR_TEST = '/opt/beam';
    tracker = await openTestTracker(ws);
    calls = 0;
  });
  afterEach(async () => { await tracker.close(); ws.cleanup(); delete process.env.PATH_PREFIX_FOR_TEST; });

  it('resolves includes, substitutions, concatenation, += and optional env; records every file', async () => {
    const r = await tracker.run(RunBeam, { config: config() });
    const beam = seen.beam as Record<string, Record<string, unknown>>;
    expect(seen.akka).toEqual({ loglevel: 'INFO', actor: { debug: { receive: 'off' } } });
    expect(seen.matsim).toEqual({ modules: { global: { randomSeed: 4711 } } });
    expect(beam.agentsim).toEqual({
      simulationName: 'town', agentSampleSizeAsFractionOfPopulation: 0.5,
      agents: { plans: { inputPlansFilePath: 'test/input/town/population.xml' } },
    });
    expect(beam.physsim.flowCapacityFactor).toBe(0.0001);
    expect(beam.outputs).toEqual({ baseOutputDirectory: 'output/town', defaultWriteInterval: 1, writePlansInterval: 1 });
    expect(beam.routing).toEqual({ r5: { modes: ['car', 'walk', 'bike'] } });
    expect(beam.debug.thresholds).toEqual([{ markAsStuckAfterMs: 20000, triggerType: 'A$B' }, { markAsStuckAfterMs: 100 }]);
    expect(beam.note).toBe('multi "line"\ntext');
    expect(beam.path).toBe('/opt/beam/bin');
    const { inputs } = await tracker.getArtifactsForRun(r.run.id);
    expect(Object.keys(inputs).sort()).toEqual(['config:common/akka.conf', 'config:common/matsim.conf', 'config:town/beam.conf']);
  });

  it('a comment edit is a hit; a value edit in an included file names that file and line', async () => {
    await tracker.run(RunBeam, { config: config() });
    writeFileSync(ws.path('input/town/beam.conf'), MAIN.replace('// agentsim', '// agentsim, reworded'));
    expect((await tracker.run(RunBeam, { config: config() })).cacheHit).toBe(true);
    writeFileSync(ws.path('input/common/akka.conf'), COMMON.replace('"INFO"', '"DEBUG"'));
    const miss = await tracker.run(RunBeam, { config: config() });
    expect(miss.cacheHit).toBe(false);
    expect(miss.cacheMissReason?.details.configChanges?.map((c) => c.text)).toEqual(['common/akka.conf:3 akka.loglevel "INFO" → "DEBUG"']);
    const sample = await tracker.run(RunBeam, { config: withOverrides(config(), { 'beam.agentsim.agentSampleSizeAsFractionOfPopulation': 0.1 }) });
    expect(sample.cacheMissReason?.details.configChanges?.map((c) => c.text)).toEqual(['(override) beam.agentsim.agentSampleSizeAsFractionOfPopulation 0.5 → 0.1']);
  });

  it.each([
    ['a substitution cycle', 'a = ${b}\nb = [${c}]\nc = ${a}\n', 'CONFIG_SUBSTITUTION_CYCLE', 'town/beam.conf:'],
    ['an include outside the root', 'include "../../secret.conf"\n', 'CONFIG_INCLUDE_OUTSIDE_ROOT', 'town/beam.conf:1'],
    ['a network include', 'x = 1\ninclude url("http://example.com/a.conf")\n', 'CONFIG_INCLUDE_OUTSIDE_ROOT', 'town/beam.conf:2'],
    ['a script include', 'include "hack.js"\n', 'CONFIG_CODE_DIRECTIVE', 'town/beam.conf:1'],
    ['an eval transform', 'a = "1+1" | eval {expr: "x"}\n', 'CONFIG_CODE_DIRECTIVE', 'town/beam.conf:1'],
    ['an undefined substitution', 'a = 1\nb = ${nope.here}\n', 'CONFIG_SUBSTITUTION_UNDEFINED', 'town/beam.conf:2'],
    ['a syntax error', 'a = {\n  b = 1\n', 'CONFIG_SYNTAX', 'town/beam.conf:3'],
  ])('rejects %s with a typed error naming file and line, recording nothing', async (_what, text, code, where) => {
    ws.file('input/town/hack.js', `require('fs').writeFileSync(${JSON.stringify(ws.path('pwned'))}, 'x')`);
    writeFileSync(ws.path('input/town/beam.conf'), text);
    const err = await tracker.run(RunBeam, { config: config() }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code });
    expect(String((err as Error).message)).toContain(where);
    expect(existsSync(ws.path('pwned'))).toBe(false);
    expect(calls).toBe(0);
    expect(await tracker.findRuns({})).toEqual([]);
  });

  it('rejects a missing file, and by default the folder of the file is the root', async () => {
    await expect(tracker.run(RunBeam, { config: beamConfig(ws.path('input/town/none.conf')) })).rejects.toMatchObject({ code: 'CONFIG_SOURCE_NOT_FOUND' });
    await expect(tracker.run(RunBeam, { config: beamConfig(ws.path('input/town/beam.conf')) })).rejects.toMatchObject({ code: 'CONFIG_INCLUDE_OUTSIDE_ROOT' });
    expect(await tracker.findRuns({})).toEqual([]);
  });
});
