import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import * as path from 'node:path';
import {
  CouplerSchema, Slot, Step, StepBase, type Artifact, type ContainerBackend, type ContainerSpec, type ScenarioContext, type Tracker,
} from '../../../src/index';
import { describeWithPodman, podmanTestOptions, TEST_IMAGE } from '../../helpers/podman';
import { openTestTracker, tmpWorkspace, type Workspace } from '../../helpers/workspace';

/** API.md §10 as written: a PILATES-like scenario with a function step, a command step and a container step. */
@CouplerSchema()
class PilatesCoupler {
  @Slot() zarr_skims!: Artifact;
  @Slot() population!: Artifact;
  @Slot() persons!: Artifact;
  @Slot() linkstats!: Artifact;
  @Slot() parcels!: Artifact;
}

const calls: Record<string, number> = {};
const bump = (k: string) => { calls[k] = (calls[k] ?? 0) + 1; };

/** A container engine in-process (no daemon): writes the declared output into the host side of the volume. */
function fakeEngine(): ContainerBackend {
  return {
    name: 'podman',
    available: async () => true,
    imageDigest: async (image) => `sha256:${Buffer.from(image).toString('hex').padEnd(64, '0').slice(0, 64)}`,
    run: async (spec: ContainerSpec) => {
      bump('urbansim');
      const [host] = Object.entries(spec.volumes ?? {}).find(([, c]) => c === '/outputs') ?? [];
      writeFileSync(path.join(host as string, 'parcels.csv'), `parcel_id,units\n1,${spec.command.join(' ').length}\n`);
      writeFileSync(spec.stdoutPath, '');
      writeFileSync(spec.stderrPath, '');
      return { exitCode: 0, signal: null, durationMs: 1 };
    },
  } as ContainerBackend;
}

describe('scenarios of every step kind (API.md §10)', () => {
  let ws: Workspace;
  let tracker: Tracker;
  let beamOut: string;
  let asimScale: number;

  async function compileSkims(dir: string): Promise<string> {
    bump('compile');
    const file = path.join(dir, 'skims.zarr.json');
    writeFileSync(file, '{"zones": 3}\n');
    return file;
  }
  async function runActivitySim(skims: string, population: string): Promise<string> {
    bump('asim');
    const out = ws.path('asim-out', `persons_${calls.asim}.csv`);
    mkdirSync(path.dirname(out), { recursive: true });
    const people = readFileSync(population, 'utf8').trim().split('\n').length - 1;
    writeFileSync(out, `person_id,trips\n${Array.from({ length: people }, (_, i) => `${i + 1},${(i + 1) * asimScale}`).join('\n')}\n`);
    expect(existsSync(skims)).toBe(true);
    return out;
  }

  const pilates = (engine: ContainerBackend) => async (sc: ScenarioContext<PilatesCoupler>) => {
    await sc.logArtifacts({ population: ws.path('population.csv') }, { direction: 'input' });
    await sc.run({ name: 'compile', outputs: ['zarr_skims'], fn: async (_in, ctx) => ({ zarr_skims: await compileSkims(ctx.runDir) }) });
    await sc.run({ name: 'asim', inputs: ['zarr_skims', 'population'], outputs: ['persons'], year: 2030, config: { scale: asimScale },
      fn: async ({ zarr_skims, population }) => ({ persons: await runActivitySim(zarr_skims as string, population as string) }) });
    await sc.runCommand({ name: 'beam', command: ['sh', 'beam.sh', '--config', 'beam.conf'], cwd: ws.dir,
      inputs: ['persons'], outputs: { linkstats: 'output/linkstats.csv.gz' }, year: 2030 });
    await sc.runContainer({ name: 'urbansim', image: 'urbansim:1.4', backend: engine, command: ['python', 'simulate.py', '--year', '2030'],
      volumes: { [beamOut]: '/outputs' }, outputs: { parcels: path.join(beamOut, 'parcels.csv') }, year: 2030 });
  };

  beforeEach(async () => {
    for (const k of Object.keys(calls)) delete calls[k];
    ws = tmpWorkspace('consist-seed-');
    ws.file('population.csv', 'person_id\n1\n2\n3\n');
    ws.file('beam.conf', 'iterations = 1\n');
    // The "BEAM" program: counts its runs, writes gzipped link stats under output/.
    ws.file('beam.sh', 'echo run >> beam-calls.txt\nmkdir -p output\nprintf "link,volume\\n1,10\\n" | gzip -n > output/linkstats.csv.gz\n');
    beamOut = ws.path('urbansim-out');
    mkdirSync(beamOut);
    asimScale = 1;
    tracker = await openTestTracker(ws);
  });
  afterEach(async () => {
    await tracker.close();
    ws.cleanup();
  });

  const beamCalls = () => (existsSync(ws.path('beam-calls.txt')) ? readFileSync(ws.path('beam-calls.txt'), 'utf8').trim().split('\n').length : 0);

  it('runs function, command and container steps as children of the header, inputs from and outputs into the coupler', async () => {
    const engine = fakeEngine();
    const r = await tracker.scenario('baseline', { model: 'pilates', coupler: PilatesCoupler }, pilates(engine));
    expect(r.run).toMatchObject({ id: 'baseline', status: 'completed' });
    expect(r.steps.map((s) => s.run.id)).toEqual(['baseline_compile', 'baseline_asim_2030', 'baseline_beam_2030', 'baseline_urbansim_2030']);
    expect(r.steps.every((s) => s.run.parentRunId === 'baseline' && !s.cacheHit && s.run.model === 'pilates')).toBe(true);
    expect(r.coupler.keys()).toEqual(['linkstats', 'parcels', 'persons', 'population', 'zarr_skims']);
    // coupler keys became inputs under those keys
    const asim = await tracker.getArtifactsForRun('baseline_asim_2030');
    expect(Object.keys(asim.inputs).sort()).toEqual(['population', 'zarr_skims']);
    expect(asim.inputs.zarr_skims.id).toBe(r.steps[0].outputs.zarr_skims.id);
    expect((await tracker.getArtifactsForRun('baseline_beam_2030')).inputs.persons.id).toBe(r.coupler.persons.id);
    expect(readFileSync(r.coupler.linkstats.path).subarray(0, 2)).toEqual(gzipSync('').subarray(0, 2));
    expect(calls).toEqual({ compile: 1, asim: 1, urbansim: 1 });
    expect(beamCalls()).toBe(1);
  });

  it('a re-run hits for every kind (nothing executes); one config change re-executes only the affected steps', async () => {
    const engine = fakeEngine();
    await tracker.scenario('baseline', { model: 'pilates', coupler: PilatesCoupler }, pilates(engine));
    const again = await tracker.scenario('baseline', { model: 'pilates', coupler: PilatesCoupler }, pilates(engine));
    expect(again.run.id).toBe('baseline~2');
    expect(again.steps.map((s) => s.cacheHit)).toEqual([true, true, true, true]);
    expect(again.steps.every((s) => s.run.parentRunId === 'baseline~2')).toBe(true);
    expect(calls).toEqual({ compile: 1, asim: 1, urbansim: 1 });
    expect(beamCalls()).toBe(1);
    // The seeds' query: the name resolves to the newest execution of the scenario.
    expect((await tracker.findRun({ parentId: 'baseline', year: 2030, name: 'asim' })).id).toBe('baseline_asim_2030~2');

    asimScale = 2; // one config change: asim and what reads its bytes re-run; compile and urbansim (no such input) hit
    const changed = await tracker.scenario('baseline', { model: 'pilates', coupler: PilatesCoupler }, pilates(engine));
    expect(changed.steps.map((s) => [s.run.name, s.cacheHit])).toEqual([['compile', true], ['asim', false], ['beam', false], ['urbansim', true]]);
    expect(changed.steps[1].cacheMissReason?.reason).toBe('config_changed');
    expect(calls).toEqual({ compile: 1, asim: 2, urbansim: 1 });
    expect(beamCalls()).toBe(2);
  });

  it('lets a step\'s own model win over the scenario\'s, and shares one cache entry with the same step outside', async () => {
    @Step({ outputs: ['out'], model: 'asim', codeVersion: '1' })
    class OwnModel extends StepBase { async run() { bump('own'); return { out: [{ a: 1 }] }; } }
    @Step({ outputs: ['plain'], codeVersion: '1' })
    class NoModel extends StepBase { async run() { bump('plain'); return { plain: [{ b: 1 }] }; } }
    const r = await tracker.scenario('s', { model: 'pilates' }, async (sc) => {
      await sc.run(OwnModel);
      await sc.run(NoModel);
      await sc.run({ name: 'fn', model: 'beam', outputs: ['x'], fn: () => ({ x: [{ c: 1 }] }) });
    });
    expect(r.steps.map((s) => s.run.model)).toEqual(['asim', 'pilates', 'beam']);
    const outside = await tracker.run(OwnModel);
    expect([outside.cacheHit, outside.run.model, outside.outputs.out.id]).toEqual([true, 'asim', r.steps[0].outputs.out.id]);
    expect((await tracker.run(NoModel, { model: 'pilates' })).cacheHit).toBe(true);
    expect(calls).toEqual({ own: 1, plain: 1 });
  });

  it('sc.trace reports cacheHit when its identity matched a completed run, and still runs the block', async () => {
    let ran = 0;
    const body = async (sc: ScenarioContext) => {
      await sc.trace('report', { outputs: ['report'] }, async (ctx) => { ran++; await ctx.logTable([{ ok: true }], { key: 'report' }); });
    };
    const first = await tracker.scenario('traced', {}, body);
    const second = await tracker.scenario('traced', {}, body);
    expect([first.steps[0].cacheHit, second.steps[0].cacheHit, ran]).toEqual([false, true, 2]);
  });

  it('rejects bad input with a typed error before recording the step', async () => {
    const before = async () => (await tracker.findRuns({ kind: 'step' })).length;
    // function step without a name
    await expect(tracker.scenario('a', {}, async (sc) => { await sc.run({ fn: () => ({}) } as never); }))
      .rejects.toMatchObject({ code: 'CONFIGURATION_INVALID' });
    await expect(tracker.run({ fn: () => ({}) } as never)).rejects.toMatchObject({ code: 'CONFIGURATION_INVALID' });
    // a coupler key that is not set: function step and command step
    const missing = await tracker.scenario('b', {}, async (sc) => { await sc.run({ name: 'x', inputs: ['persons'], fn: () => ({}) }); }).catch((e) => e);
    expect(missing).toMatchObject({ code: 'COUPLER_KEY_MISSING', details: { key: 'persons' } });
    await expect(tracker.scenario('c', {}, async (sc) => {
      await sc.runCommand({ name: 'beam', command: ['sh', 'beam.sh'], cwd: ws.dir, inputs: ['persons'], outputs: { l: 'output/l.csv' } });
    })).rejects.toMatchObject({ code: 'COUPLER_KEY_MISSING' });
    expect(await before()).toBe(0);
    expect(beamCalls()).toBe(0);
  });
});

describeWithPodman('sc.runContainer with real podman (local busybox image)', () => {
  let ws: Workspace;
  let tracker: Tracker;
  beforeEach(async () => {
    ws = tmpWorkspace('consist-seed-ctr-');
    ws.file('state/.keep', '');
    tracker = await openTestTracker(ws);
  });
  afterEach(async () => {
    await tracker.close();
    ws.cleanup();
  });

  it('reads a coupler key as input, puts its output in the coupler, and hits on a re-run without starting a container', async () => {
    const state = ws.path('state');
    const body = async (sc: ScenarioContext) => {
      await sc.run({ name: 'asim', outputs: ['persons'], fn: () => ({ persons: [{ person_id: 1 }] }) });
      await sc.runContainer({ name: 'urbansim', image: TEST_IMAGE, backend: 'podman', backendOptions: podmanTestOptions(),
        command: ['sh', '-c', 'echo ran >> /state/count; echo parcel_id > /state/parcels.csv'], volumes: { [state]: '/state' },
        inputs: ['persons'], outputs: { parcels: path.join(state, 'parcels.csv') } });
    };
    const first = await tracker.scenario('ctr', { model: 'pilates' }, body);
    const again = await tracker.scenario('ctr', { model: 'pilates' }, body);
    expect(first.steps[1].run.parentRunId).toBe('ctr');
    expect(Object.keys((await tracker.getArtifactsForRun(first.steps[1].run.id)).inputs)).toEqual(['persons']);
    expect(first.coupler.has('parcels')).toBe(true);
    expect(again.steps.map((s) => s.cacheHit)).toEqual([true, true]);
    expect(readFileSync(path.join(state, 'count'), 'utf8').trim().split('\n')).toHaveLength(1);
  });
});
