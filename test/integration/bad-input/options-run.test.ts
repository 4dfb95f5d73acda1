/**
 * Generated bad-input cases: wrong option types from plain-JS callers (`as never` casts: numbers
 * for strings, arrays for objects, null everywhere) for `Tracker.open`, `startRun`, `beginRun`,
 * `run` (class, function and executor forms) and `scenario`. Each is `CONFIGURATION_INVALID` (or the
 * more specific code named) before anything is created or recorded.
 */
import { existsSync } from 'node:fs';
import { Tracker } from '../../../src/index';
import { Input } from '../../../src/index';
import { Step } from '../../../src/index';
import { StepBase } from '../../../src/index';
import { closeSeeded, eachCase, openSeeded, type Case, type Seeded } from './harness';

@Step({ outputs: ['out'], codeVersion: '1' })
class Echo extends StepBase {
  async run(@Input('raw') raw: string): Promise<{ out: string }> {
    return { out: raw };
  }
}

class Undecorated {}

type Ctx = Seeded;
let s: Ctx;
let n = 0;

/** Tracker.open with `opts` over a fresh runDir; the runDir must not have been created. */
const openWith = (opts: (c: Ctx, runDir: string) => unknown) => async (c: Ctx) => {
  const runDir = c.ws.path(`open_${++n}`);
  try {
    const t = await Tracker.open(opts(c, runDir) as never);
    await t.close();
    return t;
  } finally {
    expect(existsSync(runDir)).toBe(false);
  }
};
const openOpt = (extra: Record<string, unknown>) => openWith((_c, runDir) => ({ runDir, codeIdentity: 'class-source', ...extra }));

const OPEN: ReadonlyArray<[string, Record<string, unknown>]> = [
  ['runDir a number', { runDir: 5 }], ['runDir null', { runDir: null }], ['runDir an array', { runDir: ['runs'] }],
  ['runDir empty', { runDir: '' }], ['runDir with a NUL', { runDir: 'runs\u0000x' }],
  ['dbPath a number', { dbPath: 5 }], ['dbPath a CSV file', { dbPath: 'data/raw.csv' }], ['dbPath a Parquet file', { dbPath: 'x.parquet' }], ['dbPath empty', { dbPath: '' }], ['dbPath null', { dbPath: null }],
  ['hashing sha1', { hashing: 'sha1' }], ['hashing a number', { hashing: 1 }], ['codeIdentity svn', { codeIdentity: 'svn' }], ['parquetCompression brotli', { parquetCompression: 'brotli' }], ['parquetCompression a number', { parquetCompression: 3 }],
  ['cacheEpoch 1.5', { cacheEpoch: 1.5 }], ['cacheEpoch a string', { cacheEpoch: '2' }], ['cacheEpoch NaN', { cacheEpoch: NaN }],
  ['lockMode none', { lockMode: 'none' }], ['lockTimeoutMs negative', { lockTimeoutMs: -1 }], ['lockTimeoutMs a string', { lockTimeoutMs: '10' }],
  ['mounts a string', { mounts: '/mnt' }], ['mounts an array', { mounts: ['/mnt'] }], ['mounts null', { mounts: null }],
  ['a mount root that is a number', { mounts: { inputs: 5 } }], ['a mount root that is empty', { mounts: { inputs: '' } }],
  ['schemas a string', { schemas: 'Person' }], ['schemas holding a number', { schemas: { Person: 5 } }],
  ['projectRoot a number', { projectRoot: 5 }], ['logger a string', { logger: 'console' }], ['container a number', { container: 5 }],
];

const runStep = (opts: unknown) => (c: Ctx) => c.tracker.run(Echo, opts as never);
const runFn = (extra: Record<string, unknown>) => (c: Ctx) =>
  c.tracker.run({ name: 'opt', inputs: { raw: c.csv }, outputs: [], fn: () => ({}), ...extra } as never);
const scenario = (options: unknown, fn: unknown = async () => undefined, name: unknown = 'sc_opt') => (c: Ctx) =>
  c.tracker.scenario(name as string, options as never, fn as never);

const META: ReadonlyArray<[string, Record<string, unknown>]> = [
  ['name a number', { name: 5 }], ['model an array', { model: ['asim'] }], ['parentRunId an object', { parentRunId: { id: 'x' } }],
  ['year a string', { year: '2020' }], ['year 1.5', { year: 1.5 }], ['iteration NaN', { iteration: NaN }],
  ['tags a string', { tags: 'base' }], ['tags with a number', { tags: ['a', 1] }], ['tags null', { tags: null }],
  ['facet an array', { facet: [1] }], ['facet a string', { facet: 'a=1' }], ['meta a number', { meta: 5 }],
];

const cases: Case<Ctx>[] = [
  ...OPEN.map(([what, extra]): Case<Ctx> => ({ name: `Tracker.open ${what}`, code: 'CONFIGURATION_INVALID', call: openOpt(extra) })),
  { name: 'Tracker.open a reserved mount name', code: 'ARTIFACT_URI_INVALID', call: openOpt({ mounts: { run: '/tmp' } }) },
  { name: 'Tracker.open a mount name with a space', code: 'ARTIFACT_URI_INVALID', call: openOpt({ mounts: { 'my data': '/tmp' } }) },
  { name: 'Tracker.open options null', code: 'CONFIGURATION_INVALID', call: openWith(() => null) },
  { name: 'Tracker.open options a string', code: 'CONFIGURATION_INVALID', call: openWith((_c, dir) => dir) },
  ...META.map(([what, opts]): Case<Ctx> => ({
    name: `startRun ${what}`, code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.startRun(`sr_${++n}`, opts as never, async () => 1),
  })),
  ...META.map(([what, opts]): Case<Ctx> => ({
    name: `beginRun ${what}`, code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.beginRun(`br_${++n}`, opts as never),
  })),
  ...META.map(([what, opts]): Case<Ctx> => ({ name: `run() ${what}`, code: 'CONFIGURATION_INVALID', call: runFn(opts) })),
  ...META.filter(([what]) => /^(model|tags|facet)/.test(what)).map(([what, opts]): Case<Ctx> => ({
    name: `scenario ${what}`, code: 'CONFIGURATION_INVALID', call: scenario(opts),
  })),
  { name: 'startRun options a number', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.startRun('sr_num', 5 as never, async () => 1) },
  { name: 'startRun options an array', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.startRun('sr_arr', [] as never, async () => 1) },
  { name: 'startRun without a function', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.startRun('sr_nofn', {}, undefined as never) },
  { name: 'startRun with a string for the function', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.startRun('sr_strfn', {}, 'go' as never) },
  { name: 'beginRun options null', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.beginRun('br_null', null as never) },
  { name: 'endRun without an active run', code: 'RUN_NOT_ACTIVE', call: (c) => c.tracker.endRun() },
  { name: 'logArtifact without an active run', code: 'RUN_NOT_ACTIVE', call: (c) => c.tracker.logArtifact(c.csv, { key: 'k', direction: 'input' }) },
  { name: 'logArtifact with a @Table schema but no active run', code: 'RUN_NOT_ACTIVE', call: (c) => c.tracker.logArtifact(c.csv, { schema: Undecorated }) },
  { name: 'run() options a number', code: 'CONFIGURATION_INVALID', call: runStep(5) },
  { name: 'run() options a string', code: 'CONFIGURATION_INVALID', call: runStep('fast') },
  { name: 'run() options null', code: 'CONFIGURATION_INVALID', call: runStep(null) },
  { name: 'run() inputs an array', code: 'CONFIGURATION_INVALID', call: runStep({ inputs: ['a.csv'] }) },
  { name: 'run() inputs a string', code: 'CONFIGURATION_INVALID', call: runStep({ inputs: 'a.csv' }) },
  { name: 'run() an input that is a number', code: 'CONFIGURATION_INVALID', call: runStep({ inputs: { raw: 5 } }) },
  { name: 'run() an input that is null', code: 'CONFIGURATION_INVALID', call: runStep({ inputs: { raw: null } }) },
  { name: 'run() an input object without a uri', code: 'CONFIGURATION_INVALID', call: runStep({ inputs: { raw: { id: 'a' } } }) },
  { name: 'run() dependsOn a string', code: 'CONFIGURATION_INVALID', call: runFn({ dependsOn: 'config.yaml' }) },
  { name: 'run() dependsOn with a number', code: 'CONFIGURATION_INVALID', call: runFn({ dependsOn: [5] }) },
  { name: 'run() runtime an array', code: 'CONFIGURATION_INVALID', call: runFn({ runtime: [1] }) },
  { name: 'run() cacheMode always', code: 'CONFIGURATION_INVALID', call: runFn({ cacheMode: 'always' }) },
  { name: 'run() cacheHydration all', code: 'CONFIGURATION_INVALID', call: runFn({ cacheHydration: 'all' }) },
  { name: 'run() outputs-requested without hydrateTo', code: 'CONFIGURATION_INVALID', call: runFn({ cacheHydration: 'outputs-requested' }) },
  { name: 'run() outputs-all without hydrateDir', code: 'CONFIGURATION_INVALID', call: runFn({ cacheHydration: 'outputs-all' }) },
  { name: 'run() cacheVersion a string', code: 'CONFIGURATION_INVALID', call: runFn({ cacheVersion: '2' }) },
  { name: 'run() step null', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.run(null as never) },
  { name: 'run() step a number', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.run(5 as never) },
  { name: 'run() step an undecorated class', code: 'METADATA_MISSING_DECORATOR', call: (c) => c.tracker.run(Undecorated as never) },
  { name: 'run() function step without fn', code: 'CONFIGURATION_INVALID', call: runFn({ fn: undefined }) },
  { name: 'run() function step name a number', code: 'CONFIGURATION_INVALID', call: runFn({ name: 5 }) },
  { name: 'run() function step name empty', code: 'CONFIGURATION_INVALID', call: runFn({ name: '' }) },
  { name: 'run() function step outputs a string', code: 'METADATA_INVALID_OPTION', call: runFn({ outputs: 'cleaned' }) },
  { name: 'run() function step output key with ..', code: 'METADATA_INVALID_OPTION', call: runFn({ outputs: ['../x'] }) },
  { name: 'run() function step inputBinding unknown', code: 'CONFIGURATION_INVALID', call: runFn({ inputBinding: 'stream' }) },
  { name: 'run() function step codeVersion a number', code: 'METADATA_INVALID_OPTION', call: runFn({ codeVersion: 5 }) },
  { name: 'run() executor unknown', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.run({ executor: 'lambda' } as never) },
  { name: 'scenario name empty', code: 'CONFIGURATION_INVALID', call: scenario({}, undefined, '') },
  { name: 'scenario name given as a number', code: 'CONFIGURATION_INVALID', call: scenario({}, undefined, 5) },
  { name: 'scenario name null', code: 'CONFIGURATION_INVALID', call: scenario({}, undefined, null) },
  { name: 'scenario without a body', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.scenario('sc_nobody', {}, undefined as never) },
  { name: 'scenario body a string', code: 'CONFIGURATION_INVALID', call: scenario({}, 'run') },
  { name: 'scenario options a number', code: 'CONFIGURATION_INVALID', call: scenario(5) },
  { name: 'scenario options an array', code: 'CONFIGURATION_INVALID', call: scenario([]) },
  { name: 'scenario config a number', code: 'CONFIGURATION_INVALID', call: scenario({ config: 5 }) },
  { name: 'scenario cacheEpoch 1.5', code: 'CONFIGURATION_INVALID', call: scenario({ cacheEpoch: 1.5 }) },
  { name: 'scenario coupler a number', code: 'CONFIGURATION_INVALID', call: scenario({ coupler: 5 }) },
  { name: 'scenario coupler an undecorated class', code: 'METADATA_MISSING_DECORATOR', call: scenario({ coupler: Undecorated }) },
  { name: 'scenario stepCacheHydration unknown', code: 'CONFIGURATION_INVALID', call: scenario({ stepCacheHydration: 'some' }) },
  { name: 'scenario class without @Scenario', code: 'METADATA_MISSING_DECORATOR', call: (c) => c.tracker.scenario(Undecorated as never) },
  { name: 'scenario of a number', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.scenario(5 as never) },
];

describe('bad input: option types of open, startRun, beginRun, run and scenario', () => {
  beforeAll(async () => {
    s = await openSeeded();
  });
  afterAll(() => closeSeeded(s));
  it('has a large generated table', () => expect(cases.length).toBeGreaterThanOrEqual(100));
  eachCase(cases, () => s);
});
