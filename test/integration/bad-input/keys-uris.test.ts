/**
 * Generated bad-input cases: artifact keys, URIs through mounts, run ids, step input references
 * and id lookups. Every rejection is a typed ConsistError before anything is recorded; lookups of
 * hostile ids simply find nothing.
 */
import type { ConsistError } from '../../../src/index';
import { closeSeeded, eachCase, openSeeded, type Case, type Seeded } from './harness';

const HOSTILE_KEYS: ReadonlyArray<[string, string]> = [
  ['dot-dot', '..'],
  ['dot-dot in the middle', 'a/../b'],
  ['leading ../', '../escape'],
  ['trailing ..', 'persons..'],
  ['empty', ''],
  ['a space', 'my key'],
  ['a leading space', ' key'],
  ['a tab', 'a\tb'],
  ['a newline', 'a\nb'],
  ['a NUL byte', 'a\u0000b'],
  ['257 characters', 'k'.repeat(257)],
  ['300 characters', 'x'.repeat(300)],
  ['latin unicode', 'persönen'],
  ['CJK', '人口'],
  ['an emoji', 'trips_🚗'],
  ['SQL injection', "a'; DROP TABLE run;--"],
  ['a double quote', 'a"b'],
  ['a semicolon', 'a;b'],
  ['a leading dash', '-persons'],
  ['a leading dot', '.hidden'],
  ['a leading slash', '/etc/passwd'],
  ['a backslash', 'a\\b'],
  ['a percent escape', 'a%2e%2e'],
  ['shell metacharacters', '$(rm -rf ~)'],
];

const HOSTILE_RUN_IDS: ReadonlyArray<[string, unknown]> = [
  ['empty', ''],
  ['dot-dot', '..'],
  ['a path escape', '../outside'],
  ['a slash', 'a/b'],
  ['a leading dot', '.hidden'],
  ['a leading dash', '-x'],
  ['dot-dot inside', 'a..b'],
  ['a space', 'run 1'],
  ['201 characters', 'r'.repeat(201)],
  ['unicode', 'lauf_ü'],
  ['SQL injection', "a'; DROP TABLE run;--"],
  ['a NUL byte', 'r\u0000'],
  ['a number', 42],
  ['null', null],
];

const BAD_URIS: ReadonlyArray<[string, (s: Seeded) => string, string]> = [
  ['escaping a mount', () => 'inputs://../../x', 'ARTIFACT_URI_INVALID'],
  ['escaping deep through a mount', () => 'inputs://a/b/../../../../etc/passwd', 'ARTIFACT_URI_INVALID'],
  ['an absolute path inside a mount URI', () => 'inputs:///etc/passwd', 'ARTIFACT_URI_INVALID'],
  ['the mount root itself', () => 'inputs://', 'ARTIFACT_URI_INVALID'],
  ['escaping run://', () => 'run://../../x', 'ARTIFACT_URI_INVALID'],
  ['an unknown mount', () => 'nomount://x.csv', 'ARTIFACT_URI_INVALID'],
  ['a NUL byte in a URI', () => 'inputs://raw\u0000.csv', 'ARTIFACT_URI_INVALID'],
  ['a NUL byte in a path', (s) => `${s.csv}\u0000.txt`, 'ARTIFACT_URI_INVALID'],
];

type Ctx = Seeded;
let manual: Seeded;
let steps: Seeded;

const logCases: Case<Ctx>[] = [
  ...HOSTILE_KEYS.map(([what, key]): Case<Ctx> => ({
    name: `logArtifact key ${what}`, code: 'ARTIFACT_KEY_INVALID',
    call: (c) => c.tracker.logArtifact(c.csv, { key, direction: 'input' }),
  })),
  ...BAD_URIS.map(([what, ref, code]): Case<Ctx> => ({
    name: `logArtifact ref ${what}`, code, call: (c) => c.tracker.logArtifact(ref(c), { key: 'k', direction: 'input' }),
  })),
  ...BAD_URIS.slice(0, 4).map(([what, ref, code]): Case<Ctx> => ({
    name: `logArtifact output ref ${what}`, code, call: (c) => c.tracker.logArtifact(ref(c), { key: 'k' }),
  })),
  { name: 'logArtifact missing input file', code: 'ARTIFACT_NOT_FOUND', call: (c) => c.tracker.logArtifact(c.ws.path('nope.csv'), { direction: 'input' }) },
  { name: 'logArtifact missing input through a mount', code: 'ARTIFACT_NOT_FOUND', call: (c) => c.tracker.logArtifact('inputs://nope.csv', { direction: 'input' }) },
  { name: 'logArtifact missing file:// input', code: 'ARTIFACT_NOT_FOUND', call: (c) => c.tracker.logArtifact(`file://${c.ws.path('nope.csv')}`, { direction: 'input' }) },
  { name: 'logArtifact empty ref', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.logArtifact('', { key: 'k', direction: 'input' }) },
  { name: 'logArtifact wrong content hash', code: 'ARTIFACT_HASH_MISMATCH',
    call: (c) => c.tracker.logArtifact(c.csv, { key: 'k', direction: 'input', contentHash: 'sha256:00', validateContentHash: true }) },
  {
    name: 'valid: a 256-character key', code: null,
    call: (c) => c.tracker.logArtifact(c.csv, { key: 'k'.repeat(256), direction: 'input' }),
    check: (a) => expect((a as { key: string }).key).toHaveLength(256),
  },
  {
    name: 'valid: a URI that leaves and re-enters its mount', code: null,
    call: (c) => c.tracker.logArtifact('inputs://sub/../raw.csv', { key: 'reentered', direction: 'input' }),
    check: (a) => expect((a as { uri: string }).uri).toBe('inputs://raw.csv'),
  },
];

const runWith = (extra: Record<string, unknown>) => (c: Ctx) =>
  c.tracker.run({ name: 'probe', inputs: { raw: c.csv }, outputs: [], fn: () => ({}), ...extra } as never);

const stepCases: Case<Ctx>[] = [
  ...HOSTILE_RUN_IDS.map(([what, id]): Case<Ctx> => ({
    name: `startRun id ${what}`, code: 'RUN_ID_INVALID', call: (c) => c.tracker.startRun(id as string, {}, async () => 1),
  })),
  ...HOSTILE_RUN_IDS.map(([what, id]): Case<Ctx> => ({
    name: `beginRun id ${what}`, code: 'RUN_ID_INVALID', call: (c) => c.tracker.beginRun(id as string),
  })),
  ...HOSTILE_RUN_IDS.filter(([, id]) => id !== null && id !== '').map(([what, id]): Case<Ctx> => ({
    name: `run() runId ${what}`, code: 'RUN_ID_INVALID', call: runWith({ runId: id }),
  })),
  // Run ids are names (API.md §10): a taken id conflicts only with a run of another kind or model.
  { name: 'startRun id taken by a manual run of another model', code: 'RUN_ID_CONFLICT', call: (c) => c.tracker.startRun('seed_manual', { model: 'other' }, async () => 1) },
  { name: 'beginRun id taken by a step run', code: 'RUN_ID_CONFLICT', call: (c) => c.tracker.beginRun('seed_step') },
  { name: 'run() runId taken by a run of another model', code: 'RUN_ID_CONFLICT', call: runWith({ runId: 'seed_step', model: 'other' }) },
  { name: 'run() runId taken by a manual run', code: 'RUN_ID_CONFLICT', call: runWith({ runId: 'seed_manual' }) },
  ...HOSTILE_KEYS.filter(([what]) => !['empty', 'a NUL byte'].includes(what)).slice(0, 12).map(([what, key]): Case<Ctx> => ({
    name: `step input key ${what}`, code: 'ARTIFACT_KEY_INVALID', call: (c) => runWith({ inputs: { [key]: c.csv } })(c),
  })),
  ...BAD_URIS.map(([what, ref, code]): Case<Ctx> => ({
    name: `step input ${what}`, code, call: (c) => runWith({ inputs: { raw: ref(c) } })(c),
  })),
  ...BAD_URIS.slice(0, 3).map(([what, ref, code]): Case<Ctx> => ({
    name: `dependsOn ${what}`, code, call: (c) => runWith({ dependsOn: [ref(c)] })(c),
  })),
  { name: 'step input Artifact whose uri escapes its mount', code: 'ARTIFACT_URI_INVALID',
    call: (c) => runWith({ inputs: { raw: { ...c.logged, uri: 'inputs://../../x' } } })(c) },
  { name: 'step input missing path', code: 'INPUT_NOT_FOUND', call: (c) => runWith({ inputs: { raw: c.ws.path('missing.csv') } })(c) },
  { name: 'step input missing through a mount', code: 'INPUT_NOT_FOUND', call: runWith({ inputs: { raw: 'inputs://missing.csv' } }) },
  { name: 'dependsOn missing file', code: 'INPUT_NOT_FOUND', call: (c) => runWith({ dependsOn: [c.ws.path('config.yaml')] })(c) },
  {
    name: 'INPUT_NOT_FOUND names the key and path', code: 'INPUT_NOT_FOUND',
    call: (c) => runWith({ inputs: { households: c.ws.path('hh.csv') } })(c).catch((e: unknown) => {
      expect((e as ConsistError).details).toMatchObject({ key: 'households' });
      throw e;
    }),
  },
  { name: 'getArtifact unknown id', code: 'ARTIFACT_NOT_FOUND', call: (c) => c.tracker.getArtifact("a'; DROP TABLE artifact;--") },
  { name: 'load unknown artifact id', code: 'ARTIFACT_NOT_FOUND', call: (c) => c.tracker.load('a_0000000000000000') },
  { name: 'lineage unknown artifact id', code: 'ARTIFACT_NOT_FOUND', call: (c) => c.tracker.lineage('../../etc/passwd') },
  { name: 'ingest unknown artifact id', code: 'ARTIFACT_NOT_FOUND', call: (c) => c.tracker.ingest('nope') },
  { name: 'explainCacheMiss unknown run', code: 'RUN_NOT_FOUND', call: (c) => c.tracker.explainCacheMiss("x' OR '1'='1") },
  { name: 'findRun with no match', code: 'RUN_NOT_FOUND', call: (c) => c.tracker.findRun({ model: "asim' OR '1'='1" }) },
  { name: 'findRun with two matches', code: 'RUN_AMBIGUOUS', call: (c) => c.tracker.findRun({}) },
  { name: 'exportSchema unknown id', code: 'SCHEMA_NOT_FOUND', call: (c) => c.tracker.exportSchema("'; DROP TABLE artifact_schema;--") },
  { name: 'valid: getRun of an injection string finds nothing', code: null,
    call: (c) => c.tracker.getRun("seed_manual' OR '1'='1"), check: (r) => expect(r).toBeUndefined() },
  { name: 'getArtifactsForRun of an injection string is an unknown run', code: 'RUN_NOT_FOUND',
    call: (c) => c.tracker.getArtifactsForRun("x'; DELETE FROM run;--") },
  { name: 'valid: findRuns by an injection-looking name finds nothing', code: null,
    call: (c) => c.tracker.findRuns({ name: "') OR 1=1 --" }), check: (r) => expect(r).toEqual([]) },
  { name: 'valid: run() runId of 200 characters', code: null, call: runWith({ runId: `r${'x'.repeat(199)}` }),
    check: (r) => expect((r as { run: { id: string } }).run.id).toHaveLength(200) },
];

describe('bad input: logArtifact keys and URIs (inside an active run)', () => {
  beforeAll(async () => {
    manual = await openSeeded();
    await manual.tracker.beginRun('active_manual', { model: 'm' });
  });
  afterAll(async () => {
    const ended = await manual.tracker.endRun();
    expect(ended.status).toBe('completed');
    const arts = await manual.tracker.getArtifactsForRun('active_manual');
    expect(Object.keys(arts.inputs).sort()).toEqual(['k'.repeat(256), 'reentered'].sort());
    await closeSeeded(manual);
  });
  eachCase(logCases, () => manual);
});

describe('bad input: run ids, step inputs and lookups', () => {
  beforeAll(async () => {
    steps = await openSeeded();
  });
  afterAll(() => closeSeeded(steps));
  it('has a large generated table', () => expect(logCases.length + stepCases.length).toBeGreaterThanOrEqual(100));
  eachCase(stepCases, () => steps);
});
