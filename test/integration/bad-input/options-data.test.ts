/**
 * Generated bad-input cases: wrong option types from plain-JS callers for `logArtifact`,
 * `runCommand`, `runContainer`, `findRuns`/`findRun`, `lineage`, `load`, `ingest`,
 * `createGroupedView` run filters and `sql`. Each is a typed ConsistError before any side effect.
 */
import type { ContainerBackend } from '../../../src/index';
import { closeSeeded, eachCase, openSeeded, type Case, type Seeded } from './harness';

type Ctx = Seeded & { schemaId: string };
let s: Ctx;

const fakeBackend: ContainerBackend = {
  name: 'docker',
  imageDigest: async () => 'sha256:feed',
  run: async () => ({ exitCode: 0 }),
} as unknown as ContainerBackend;

const log = (opts: unknown, ref?: string) => (c: Ctx) => c.tracker.logArtifact(ref ?? c.csv, opts as never);
const cmd = (opts: Record<string, unknown>) => (c: Ctx) =>
  c.tracker.runCommand({ command: ['true'], cwd: c.ws.dir, ...opts } as never);
const ctr = (opts: Record<string, unknown>) => (c: Ctx) =>
  c.tracker.runContainer({ image: 'img:1', command: ['run'], backend: fakeBackend, ...opts } as never);
const find = (opts: unknown) => (c: Ctx) => c.tracker.findRuns(opts as never);
const grouped = (extra: Record<string, unknown>) => (c: Ctx) => c.tracker.createGroupedView('v_opts', { schemaId: c.schemaId, ...extra } as never);

const LOG: ReadonlyArray<[string, unknown]> = [
  ['options a number', 5], ['options an array', []], ['options null', null], ['direction sideways', { direction: 'sideways' }],
  ['direction a number', { direction: 1 }], ['driver a number', { driver: 5 }], ['driver empty', { driver: '' }],
  ['schema a string', { schema: 'Person' }], ['facet an array', { facet: [] }], ['facet with NaN', { facet: { x: NaN } }],
  ['facetNamespace a number', { facetNamespace: 1 }], ['contentHash a number', { contentHash: 123 }],
  ['validateContentHash a string', { validateContentHash: 'yes' }], ['profileSchema a number', { profileSchema: 1 }],
  ['meta a string', { meta: 'm' }], ['schemaId an object', { schemaId: {} }], ['forceHashOverride null', { forceHashOverride: null }],
];

const FIND: ReadonlyArray<[string, unknown]> = [
  ['options a number', 5], ['options a string', 'asim'], ['options an array', []],
  ['name a number', { name: 5 }], ['model an array', { model: ['asim'] }], ['status a number', { status: 1 }],
  ['year a string', { year: '2020' }], ['year 1.5', { year: 1.5 }], ['iteration null', { iteration: null }],
  ['limit a string', { limit: 'ten' }], ['limit negative', { limit: -1 }], ['limit NaN', { limit: NaN }], ['limit Infinity', { limit: Infinity }],
  ['tags a string', { tags: 'base' }], ['tags with null', { tags: [null] }], ['facet a string', { facet: 'alpha=1' }],
  ['facet with an object value', { facet: { alpha: { gt: 1 } } }], ['facet with an array value', { facet: { alpha: [1, 2] } }],
  ['facet with a null value', { facet: { alpha: null } }], ['parentId a number', { parentId: 7 }], ['indexBy a number', { indexBy: 1 }],
  ['indexBy an unknown field', { indexBy: 'colour' }], ['signature a number', { signature: 1 }], ['cacheHit a string', { cacheHit: 'yes' }], ['an unknown filter (typo)', { nme: 'x' }], ['status unknown', { status: 'done' }], ['kind unknown', { kind: 'job' }],
];

const cases: Case<Ctx>[] = [
  ...LOG.map(([what, opts]): Case<Ctx> => ({ name: `logArtifact ${what}`, code: what.startsWith('facet with') ? 'CONFIG_NOT_CANONICAL' : 'CONFIGURATION_INVALID', call: log(opts) })),
  { name: 'logArtifact ref a number', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.logArtifact(5 as never) },
  { name: 'logArtifact ref null', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.logArtifact(null as never) },
  { name: 'logArtifact ref only spaces', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.logArtifact('   ') },
  { name: 'logArtifact schema without @Table', code: 'METADATA_MISSING_DECORATOR', call: log({ schema: class NoTable {} }) },
  ...FIND.map(([what, opts]): Case<Ctx> => ({ name: `findRuns ${what}`, code: 'CONFIGURATION_INVALID', call: find(opts) })),
  ...FIND.slice(3, 13).map(([what, opts]): Case<Ctx> => ({
    name: `findRun ${what}`, code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.findRun(opts as never),
  })),
  { name: 'findRun options null', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.findRun(null as never) },
  { name: 'runCommand options null', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.runCommand(null as never) },
  { name: 'runCommand options a string', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.runCommand('ls -l' as never) },
  { name: 'runCommand command a string', code: 'CONFIGURATION_INVALID', call: cmd({ command: 'ls -l' }) },
  { name: 'runCommand command empty', code: 'CONFIGURATION_INVALID', call: cmd({ command: [] }) },
  { name: 'runCommand command with a number', code: 'CONFIGURATION_INVALID', call: cmd({ command: ['echo', 5] }) },
  { name: 'runCommand command missing', code: 'CONFIGURATION_INVALID', call: cmd({ command: undefined }) },
  { name: 'runCommand unknown binary', code: 'COMMAND_NOT_FOUND', call: cmd({ command: ['consist-no-such-binary-xyz'] }) },
  { name: 'runCommand binary path that is a directory', code: 'COMMAND_NOT_FOUND', call: (c) => cmd({ command: [c.ws.dir] })(c) },
  { name: 'runCommand env a string', code: 'CONFIGURATION_INVALID', call: cmd({ env: 'A=1' }) },
  { name: 'runCommand env with a number', code: 'CONFIGURATION_INVALID', call: cmd({ env: { THREADS: 4 } }) },
  { name: 'runCommand cwd a number', code: 'CONFIGURATION_INVALID', call: cmd({ cwd: 5 }) },
  { name: 'runCommand inputs a number', code: 'CONFIGURATION_INVALID', call: cmd({ inputs: 5 }) },
  { name: 'runCommand inputs with a number', code: 'CONFIGURATION_INVALID', call: cmd({ inputs: [5] }) },
  { name: 'runCommand inputs with two equal stems', code: 'CONFIGURATION_INVALID', call: (c) => cmd({ inputs: [c.csv, c.ws.file('other/raw.csv', 'a\n')] })(c) },
  { name: 'runCommand missing input', code: 'INPUT_NOT_FOUND', call: cmd({ inputs: ['missing.csv'] }) },
  { name: 'runCommand input escaping its mount', code: 'ARTIFACT_URI_INVALID', call: cmd({ inputs: { raw: 'inputs://../../etc/passwd' } }) },
  { name: 'runCommand outputs an array', code: 'CONFIGURATION_INVALID', call: cmd({ outputs: ['out.csv'] }) },
  { name: 'runCommand output path a number', code: 'CONFIGURATION_INVALID', call: cmd({ outputs: { out: 5 } }) },
  { name: 'runCommand output key with ..', code: 'METADATA_INVALID_OPTION', call: cmd({ outputs: { '..': 'out.csv' } }) },
  { name: 'runCommand codeVersion a number', code: 'CONFIGURATION_INVALID', call: cmd({ codeVersion: 2 }) },
  { name: 'runCommand inheritEnv a string', code: 'CONFIGURATION_INVALID', call: cmd({ inheritEnv: 'no' }) },
  { name: 'runCommand runId invalid', code: 'RUN_ID_INVALID', call: cmd({ runId: '../x' }) },
  { name: 'runCommand tags a string', code: 'CONFIGURATION_INVALID', call: cmd({ tags: 'x' }) },
  { name: 'runContainer options null', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.runContainer(null as never) },
  { name: 'runContainer image a number', code: 'CONFIGURATION_INVALID', call: ctr({ image: 5 }) },
  { name: 'runContainer image empty', code: 'CONFIGURATION_INVALID', call: ctr({ image: ' ' }) },
  { name: 'runContainer command a string', code: 'CONFIGURATION_INVALID', call: ctr({ command: 'python run.py' }) },
  { name: 'runContainer workdir relative', code: 'CONFIGURATION_INVALID', call: ctr({ workdir: 'work' }) },
  { name: 'runContainer workdir a number', code: 'CONFIGURATION_INVALID', call: ctr({ workdir: 5 }) },
  { name: 'runContainer volumes a string', code: 'CONFIGURATION_INVALID', call: ctr({ volumes: '/data:/data' }) },
  { name: 'runContainer volume target relative', code: 'CONFIGURATION_INVALID', call: (c) => ctr({ volumes: { [c.ws.dir]: 'data' } })(c) },
  { name: 'runContainer volume host missing', code: 'CONFIGURATION_INVALID', call: (c) => ctr({ volumes: { [c.ws.path('nope')]: '/data' } })(c) },
  { name: 'runContainer env with a number', code: 'CONFIGURATION_INVALID', call: ctr({ env: { A: 1 } }) },
  { name: 'runContainer unknown backend', code: 'CONTAINER_BACKEND_UNAVAILABLE', call: ctr({ backend: 'kubernetes' }) },
  { name: 'runContainer backend a number', code: 'CONTAINER_BACKEND_UNAVAILABLE', call: ctr({ backend: 5 }) },
  { name: 'runContainer backend object without methods', code: 'CONFIGURATION_INVALID', call: ctr({ backend: {} }) },
  { name: 'runContainer outputs a string', code: 'CONFIGURATION_INVALID', call: ctr({ outputs: 'out.csv' }) },
  { name: 'lineage maxDepth negative', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.lineage(c.produced, { maxDepth: -1 }) },
  { name: 'lineage maxDepth 1.5', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.lineage(c.produced, { maxDepth: 1.5 }) },
  { name: 'lineage maxDepth a string', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.lineage(c.produced, { maxDepth: '3' as never }) },
  { name: 'lineage options null', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.lineage(c.produced, null as never) },
  { name: 'lineage of a number', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.lineage(5 as never) },
  { name: 'lineage of null', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.lineage(null as never) },
  { name: 'lineage of an object with neither id nor key', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.lineage({ uri: 5 } as never) },
  { name: 'lineage of an unknown key (API.md §11: key + run or key)', code: 'ARTIFACT_NOT_FOUND', call: (c) => c.tracker.lineage({ key: 'x' }) },
  { name: 'load of a number', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.load(5 as never) },
  { name: 'load of an array', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.load([] as never) },
  { name: 'load dbFallback unknown', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.load(c.produced, { dbFallback: 'sometimes' as never }) },
  { name: 'load options null', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.load(c.produced, null as never) },
  { name: 'ingest of a number', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.ingest(5 as never) },
  { name: 'ingest of null', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.ingest(null as never) },
  { name: 'ingest options a string', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.ingest(c.produced, 'strict' as never) },
  { name: 'ingest options null', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.ingest(c.produced, null as never) },
  { name: 'ingest data an object', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.ingest(c.produced, { data: { id: 1 } as never }) },
  { name: 'ingest data rows with null', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.ingest(c.produced, { data: [null] as never }) },
  { name: 'grouped view options a number', code: 'VIEW_SELECTION_INVALID', call: (c) => c.tracker.createGroupedView('v_opts', 5 as never) },
  { name: 'grouped view schemaId a number', code: 'VIEW_SELECTION_INVALID', call: (c) => c.tracker.createGroupedView('v_opts', { schemaId: 5 as never }) },
  { name: 'grouped view runId a number', code: 'VIEW_SELECTION_INVALID', call: grouped({ runId: 5 }) },
  { name: 'grouped view year a string', code: 'VIEW_SELECTION_INVALID', call: grouped({ year: '2020' }) },
  { name: 'grouped view iteration 1.5', code: 'VIEW_SELECTION_INVALID', call: grouped({ iteration: 1.5 }) },
  { name: 'grouped view status unknown', code: 'VIEW_SELECTION_INVALID', call: grouped({ status: 'done' }) },
  { name: 'grouped view model an array', code: 'VIEW_SELECTION_INVALID', call: grouped({ model: ['asim'] }) },
  { name: 'grouped view namespace a number', code: 'VIEW_SELECTION_INVALID', call: grouped({ namespace: 1 }) },
  { name: 'grouped view includeSystemColumns a string', code: 'VIEW_SELECTION_INVALID', call: grouped({ includeSystemColumns: 'no' }) },
  { name: 'grouped view schemaCompatible a number', code: 'VIEW_SELECTION_INVALID', call: grouped({ schemaCompatible: 1 }) },
  { name: 'sql invalid SQL', code: 'DB_QUERY_FAILED', call: (c) => c.tracker.sql('SELEKT * FROM run') },
  { name: 'sql unknown table', code: 'DB_QUERY_FAILED', call: (c) => c.tracker.sql('SELECT * FROM no_such_table') },
  { name: 'sql text a number', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.sql(5 as never) },
  { name: 'sql params a string', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.sql('SELECT ?', 'x' as never) },
  { name: 'sql too few params', code: 'DB_QUERY_FAILED', call: (c) => c.tracker.sql('SELECT * FROM run WHERE id = ? AND name = ?', ['x']) },
  { name: 'getRun of a number', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.getRun(5 as never) },
  { name: 'getArtifactsForRun of null', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.getArtifactsForRun(null as never) },
  { name: 'exportSchema of a number', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.exportSchema(5 as never) },
  {
    name: 'valid: findRuns with every filter type right', code: null,
    call: find({ model: 'asim', year: 2020, tags: ['base'], facet: { alpha: 1, label: 'x' }, limit: 5, parentId: null }),
    check: (r) => expect((r as Array<{ id: string }>).map((x) => x.id)).toEqual(['seed_manual']),
  },
];

describe('bad input: option types of logArtifact, commands, containers, queries and views', () => {
  beforeAll(async () => {
    const seeded = await openSeeded();
    const [row] = await seeded.tracker.sql('SELECT id FROM artifact_schema LIMIT 1');
    await seeded.tracker.beginRun('active_for_log', {});
    s = { ...seeded, schemaId: String(row?.id ?? 'none') };
  });
  afterAll(async () => {
    await s.tracker.endRun();
    expect(await s.tracker.getArtifactsForRun('active_for_log')).toEqual({ inputs: {}, outputs: {} });
    await closeSeeded(s);
  });
  it('has a large generated table', () => expect(cases.length).toBeGreaterThanOrEqual(100));
  eachCase(cases, () => s);
});
