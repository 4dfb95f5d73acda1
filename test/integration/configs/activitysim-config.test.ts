import { writeFileSync } from 'node:fs';
import { activitysimConfig, Step, StepBase, withOverrides, type Tracker } from '../../../src/index';
import { openTestTracker, tmpWorkspace, type Workspace } from '../../helpers/workspace';

let calls = 0;
let seen: Record<string, unknown> = {};

@Step({ outputs: ['out'], codeVersion: '1' })
class RunActivitySim extends StepBase<Record<string, unknown>> {
  async run(): Promise<{ out: Record<string, unknown>[] }> {
    calls++;
    seen = this.config;
    return { out: [{ ok: true }] };
  }
}

const SETTINGS = `# ActivitySim-style settings (test fixture)
inherit_settings: true
models:
  - initialize_landuse
  - school_location
chunk_training_mode: off
# sample size below
households_sample_size: 100
trace_hh_id: 0777
resume_after: ~
`;

const MP_SETTINGS = `inherit_settings: True
multiprocess: yes
num_processes: 2
households_sample_size: 100
`;

describe('activitysimConfig', () => {
  let ws: Workspace;
  let tracker: Tracker;
  let settings: string;
  const config = () => activitysimConfig(ws.path('configs'), { overlays: [ws.path('configs_mp')] });

  beforeEach(async () => {
    ws = tmpWorkspace('consist-asim-');
    settings = ws.file('configs/settings.yaml', SETTINGS);
    ws.file('configs/school_location.yaml', 'SAMPLE_SIZE: 30\nSPEC: school_location.csv\n');
    ws.file('configs/school_location.csv', 'Label,Expression,coefficient\nutil_dist,@df.dist,coef_dist\n');
    ws.file('configs_mp/settings.yaml', MP_SETTINGS);
    ws.file('configs_mp/school_location.yaml', 'SAMPLE_SIZE: 10\n');
    tracker = await openTestTracker(ws);
    calls = 0;
  });
  afterEach(async () => { await tracker.close(); ws.cleanup(); });

  it('resolves overlays first, inherit_settings, PyYAML 1.1 scalars, and records the files as inputs', async () => {
    const r = await tracker.run(RunActivitySim, { config: config() });
    expect(calls).toBe(1);
    const s = seen.settings as Record<string, unknown>;
    expect(s).toMatchObject({
      multiprocess: true, num_processes: 2, households_sample_size: 100, chunk_training_mode: false,
      trace_hh_id: 511, resume_after: null, models: ['initialize_landuse', 'school_location'],
    });
    expect(s).not.toHaveProperty('inherit_settings');
    expect(seen.school_location).toEqual({ SAMPLE_SIZE: 10 });
    expect((seen.$files as Record<string, string>)['school_location.csv']).toMatch(/^sha256:[0-9a-f]{64}$/);
    const { inputs } = await tracker.getArtifactsForRun(r.run.id);
    expect(Object.keys(inputs).sort()).toEqual([
      'config:configs/school_location.csv', 'config:configs/settings.yaml',
      'config:configs_mp/school_location.yaml', 'config:configs_mp/settings.yaml',
    ]);
    expect(r.run.meta.modelConfig).toMatchObject({ kind: 'activitysim' });
  });

  it('a comment edit is still a hit; a value edit names the key with file and line', async () => {
    await tracker.run(RunActivitySim, { config: config() });
    writeFileSync(settings, SETTINGS.replace('# sample size below', '# the sample size, edited comment'));
    const hit = await tracker.run(RunActivitySim, { config: config() });
    expect(hit.cacheHit).toBe(true);
    const { inputs } = await tracker.getArtifactsForRun(hit.run.id);
    expect(inputs['config:configs/settings.yaml'].hash).toBeDefined();

    writeFileSync(ws.path('configs_mp/settings.yaml'), MP_SETTINGS.replace('households_sample_size: 100', 'households_sample_size: 200'));
    const miss = await tracker.run(RunActivitySim, { config: config() });
    expect(miss.cacheHit).toBe(false);
    const explained = await tracker.explainCacheMiss(miss.run.id);
    expect(explained?.reason).toBe('config_changed');
    expect(explained?.details.configChanges).toEqual([expect.objectContaining({
      key: 'settings.households_sample_size', file: 'configs_mp/settings.yaml', line: 4, before: 100, after: 200,
      text: 'configs_mp/settings.yaml:4 households_sample_size 100 → 200',
    })]);
  });

  it('a CSV spec edit misses and names the file; withOverrides shows as an override', async () => {
    await tracker.run(RunActivitySim, { config: config() });
    writeFileSync(ws.path('configs/school_location.csv'), 'Label,Expression,coefficient\nutil_dist,@df.dist,coef_dist2\n');
    const csv = await tracker.run(RunActivitySim, { config: config() });
    expect(csv.cacheMissReason?.details.configChanges?.[0]).toMatchObject({ key: '$files["school_location.csv"]', file: 'configs/school_location.csv' });

    const variant = withOverrides(config(), { 'settings.households_sample_size': 500, 'school_location.SAMPLE_SIZE': 5 });
    const o = await tracker.run(RunActivitySim, { config: variant });
    expect(o.cacheHit).toBe(false);
    expect((seen.settings as Record<string, unknown>).households_sample_size).toBe(500);
    expect(o.cacheMissReason?.details.configChanges?.map((c) => c.text)).toEqual([
      '(override) school_location.SAMPLE_SIZE 10 → 5',
      '(override) settings.households_sample_size 100 → 500',
    ]);
    expect((await tracker.run(RunActivitySim, { config: variant })).cacheHit).toBe(true);
    writeFileSync(ws.path('configs_mp/settings.yaml'), MP_SETTINGS.replace('households_sample_size: 100', 'households_sample_size: 300'));
    const edited = await tracker.run(RunActivitySim, { config: config() });
    expect(edited.cacheMissReason?.details.configChanges?.map((c) => c.text)).toEqual([
      'configs_mp/school_location.yaml:1 SAMPLE_SIZE 5 → 10 (override removed)',
      'configs_mp/settings.yaml:4 households_sample_size 500 → 300 (override removed)',
    ]);
    const back = await tracker.run(RunActivitySim, { config: config(), cacheMode: 'overwrite' });
    expect(back.cacheHit).toBe(false);
  });

  it.each([
    ['duplicate keys', 'configs/settings.yaml', 'a: 1\nb: 2\na: 3\n', 'CONFIG_DUPLICATE_KEY', 'configs/settings.yaml:3'],
    ['a syntax error', 'configs/settings.yaml', 'models: [a, b\nx: 1\n', 'CONFIG_SYNTAX', 'configs/settings.yaml:2'],
    ['a python tag', 'configs/other.yaml', 'x: !!python/object/apply:os.system ["touch pwned"]\n', 'CONFIG_CODE_DIRECTIVE', 'configs/other.yaml:1'],
  ])('rejects %s with a typed error naming file and line, recording nothing', async (_what, rel, text, code, where) => {
    writeFileSync(ws.path('configs_mp/settings.yaml'), 'inherit_settings: true\nnum_processes: 2\n');
    ws.file(rel, text);
    const err = await tracker.run(RunActivitySim, { config: config() }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code });
    expect(String((err as Error).message)).toContain(where);
    expect(calls).toBe(0);
    expect(await tracker.findRuns({})).toEqual([]);
  });

  it('rejects a missing config folder and a bad override path', async () => {
    await expect(tracker.run(RunActivitySim, { config: activitysimConfig(ws.path('nope')) })).rejects.toMatchObject({ code: 'CONFIG_SOURCE_NOT_FOUND' });
    const bad = withOverrides(config(), { 'settings.households_sample_size.deeper': 1 });
    await expect(tracker.run(RunActivitySim, { config: bad })).rejects.toMatchObject({ code: 'CONFIG_OVERRIDE_INVALID' });
    expect(calls).toBe(0);
    expect(await tracker.findRuns({})).toEqual([]);
  });
});
