/**
 * Generated bad-input cases for the data plane: hostile view names, column names, facet keys and
 * predicates given to `createView`, `createGroupedView`, `pivotFacets` and `ingest`; and SQL-looking
 * strings in names, tags and facets, which are valid and must be stored literally, never executed.
 */
import { readFileSync } from 'node:fs';
import type { Artifact } from '../../../src/index';
import { closeSeeded, eachCase, openSeeded, type Case, type Seeded } from './harness';

const INJECTION = "x'; DROP TABLE run;--";
const IDENT_INJECTION = 'v"; DROP TABLE run; --';

interface Ctx extends Seeded {
  schemaId: string;
  /** Pending output artifacts (no file) for ingestion cases, by index. */
  slots: Artifact[];
}
let s: Ctx;
let slot = 0;
const nextSlot = (c: Ctx) => c.slots[slot++];
const grouped = (name: string, extra: Record<string, unknown>) => (c: Ctx) =>
  c.tracker.createGroupedView(name, { schemaId: c.schemaId, ...extra } as never);
const runTableIntact = async (c: Ctx) => expect((await c.tracker.sql('SELECT count(*) AS n FROM run'))[0].n).toBeGreaterThanOrEqual(2);

const BAD_VIEW_NAMES: ReadonlyArray<[string, unknown]> = [
  ['empty', ''], ['a NUL byte', 'v\u0000x'], ['256 characters', 'v'.repeat(256)], ['a number', 7], ['null', null], ['an object', { name: 'v' }],
];
const BAD_PREDICATES: ReadonlyArray<[string, unknown]> = [
  ['no operator', 'year'], ['an empty key', '=5'], ['an empty namespace', '.year=5'], ['>= with text', 'year>=abc'],
  ['<= with a boolean', 'year<=true'], ['two operators', 'a=1=2'], ['chained comparison', '1<=year<=2'], ['only whitespace', '   '],
  ['an empty string', ''], ['a number', 2018], ['null', null], ['an operator only', '>='],
];

const cases: Case<Ctx>[] = [
  ...BAD_VIEW_NAMES.map(([what, name]): Case<Ctx> => ({
    name: `createView name ${what}`, code: 'VIEW_NAME_INVALID', call: (c) => c.tracker.createView(name as string, 'cleaned'),
  })),
  ...BAD_VIEW_NAMES.map(([what, name]): Case<Ctx> => ({
    name: `createGroupedView name ${what}`, code: 'VIEW_NAME_INVALID', call: (c) => grouped(name as string, {})(c),
  })),
  ...BAD_PREDICATES.map(([what, p]): Case<Ctx> => ({
    name: `grouped view predicate ${what}`, code: p === null || typeof p === 'number' ? 'VIEW_SELECTION_INVALID' : 'FACET_PREDICATE_INVALID',
    call: grouped('v_pred', { params: [p] }),
  })),
  ...[['..'], ['a b'], [''], [INJECTION], [5], [null]].map(([key]): Case<Ctx> => ({
    name: `createView key ${JSON.stringify(key)}`, code: 'ARTIFACT_KEY_INVALID', call: (c) => c.tracker.createView('v_badkey', key as string),
  })),
  { name: 'createView over the run table', code: 'VIEW_CREATE_FAILED', call: (c) => c.tracker.createView('run', 'cleaned') },
  { name: 'createView over the artifact table', code: 'VIEW_CREATE_FAILED', call: (c) => c.tracker.createView('artifact', 'cleaned') },
  { name: 'createGroupedView over the run table', code: 'VIEW_CREATE_FAILED', call: grouped('run', {}) },
  { name: 'grouped view: no options', code: 'VIEW_SELECTION_INVALID', call: (c) => c.tracker.createGroupedView('v_x', undefined as never) },
  { name: 'grouped view: neither schemaId nor schema', code: 'VIEW_SELECTION_INVALID', call: (c) => c.tracker.createGroupedView('v_x', {}) },
  { name: 'grouped view: both schemaId and schema', code: 'VIEW_SELECTION_INVALID', call: grouped('v_x', { schema: class {} }) },
  { name: 'grouped view: empty schemaId', code: 'VIEW_SELECTION_INVALID', call: (c) => c.tracker.createGroupedView('v_x', { schemaId: '' }) },
  { name: 'grouped view: schema is not a class', code: 'VIEW_SELECTION_INVALID', call: (c) => c.tracker.createGroupedView('v_x', { schema: 'Person' as never }) },
  { name: 'grouped view: schema class without @Table', code: 'METADATA_MISSING_DECORATOR', call: (c) => c.tracker.createGroupedView('v_x', { schema: class Plain {} }) },
  { name: 'grouped view: params is a string', code: 'VIEW_SELECTION_INVALID', call: grouped('v_x', { params: 'year=2020' }) },
  { name: 'grouped view: attachFacets has a number', code: 'VIEW_SELECTION_INVALID', call: grouped('v_x', { attachFacets: [1] }) },
  { name: 'grouped view: attachFacets with a NUL', code: 'VIEW_SELECTION_INVALID', call: grouped('v_x', { attachFacets: ['a\u0000'] }) },
  { name: 'grouped view: predicate value with a NUL', code: 'FACET_PREDICATE_INVALID', call: grouped('v_x', { params: ['alpha=\u0000'] }) },
  { name: 'grouped view: drivers is a string', code: 'VIEW_SELECTION_INVALID', call: grouped('v_x', { drivers: 'parquet' }) },
  { name: 'grouped view: unknown mode', code: 'VIEW_SELECTION_INVALID', call: grouped('v_x', { mode: 'cold' }) },
  { name: 'grouped view: unknown ifExists', code: 'VIEW_SELECTION_INVALID', call: grouped('v_x', { ifExists: 'skip' }) },
  { name: 'grouped view: unknown missingFiles', code: 'VIEW_SELECTION_INVALID', call: grouped('v_x', { missingFiles: 'ignore' }) },
  { name: 'grouped view: ifExists error on an existing view', code: 'VIEW_EXISTS', call: grouped('v_existing', { ifExists: 'error' }) },
  { name: 'pivotFacets: no options', code: 'VIEW_SELECTION_INVALID', call: (c) => c.tracker.pivotFacets(null as never) },
  { name: 'pivotFacets: no keys', code: 'VIEW_SELECTION_INVALID', call: (c) => c.tracker.pivotFacets({ keys: [] }) },
  { name: 'pivotFacets: keys is a string', code: 'VIEW_SELECTION_INVALID', call: (c) => c.tracker.pivotFacets({ keys: 'alpha' as never }) },
  { name: 'pivotFacets: a numeric key', code: 'VIEW_SELECTION_INVALID', call: (c) => c.tracker.pivotFacets({ keys: [5 as never] }) },
  { name: 'pivotFacets: a key with a NUL', code: 'VIEW_SELECTION_INVALID', call: (c) => c.tracker.pivotFacets({ keys: ['a\u0000'] }) },
  { name: 'pivotFacets: an empty key', code: 'VIEW_SELECTION_INVALID', call: (c) => c.tracker.pivotFacets({ keys: [''] }) },
  { name: 'pivotFacets: a numeric namespace', code: 'VIEW_SELECTION_INVALID', call: (c) => c.tracker.pivotFacets({ keys: ['alpha'], namespace: 5 as never }) },
  { name: 'pivotFacets: an injected value column', code: 'VIEW_SELECTION_INVALID',
    call: (c) => c.tracker.pivotFacets({ keys: ['alpha'], valueColumns: { alpha: 'value_num) FROM run; --' as never } }) },
  { name: 'pivotFacets: valueColumns is an array', code: 'VIEW_SELECTION_INVALID', call: (c) => c.tracker.pivotFacets({ keys: ['alpha'], valueColumns: [] as never }) },
  { name: 'pivotFacets: an unknown value column', code: 'VIEW_SELECTION_INVALID', call: (c) => c.tracker.pivotFacets({ keys: ['alpha'], valueColumns: { alpha: 'value_date' as never } }) },
  { name: 'pivotFacets: valueColumns for a key not pivoted', code: 'VIEW_SELECTION_INVALID', call: (c) => c.tracker.pivotFacets({ keys: ['alpha'], valueColumns: { beta: 'value_num' } }) },
  { name: 'pivotFacets: an empty view name', code: 'VIEW_NAME_INVALID', call: (c) => c.tracker.pivotFacets({ keys: ['alpha'], name: '' }) },
  { name: 'ingest: a column name with a NUL', code: 'ARTIFACT_WRITE_FAILED', call: (c) => c.tracker.ingest(nextSlot(c), { data: [{ 'a\u0000b': 1 }] }) },
  { name: 'ingest: an empty column name', code: 'ARTIFACT_WRITE_FAILED', call: (c) => c.tracker.ingest(nextSlot(c), { data: [{ '': 1 }] }) },
  { name: 'ingest: column names equal but for case', code: 'ARTIFACT_WRITE_FAILED', call: (c) => c.tracker.ingest(nextSlot(c), { data: [{ Age: 1, age: 2 }] }) },
  { name: 'ingest: a nested object value', code: 'ARTIFACT_UNSUPPORTED_FORMAT', call: (c) => c.tracker.ingest(nextSlot(c), { data: [{ a: { b: 1 } }] }) },
  { name: 'ingest: data is a string', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.ingest(nextSlot(c), { data: 'a,b\n1,2' as never }) },
  { name: 'ingest: schema is not a class', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.ingest(nextSlot(c), { schema: {} as never, data: [] }) },
  {
    name: 'valid: hostile column names are quoted, not executed', code: null,
    call: (c) => c.tracker.ingest(nextSlot(c), { data: [{ 'a"b': 1, [INJECTION]: 'v', 'select': 2, 'ü n i': 3 }] }),
    check: async (r, c) => {
      const rows = await c.tracker.sql(`SELECT * FROM hot."${(r as { table: string }).table}"`);
      expect(rows[0]).toMatchObject({ 'a"b': 1, [INJECTION]: 'v', select: 2, 'ü n i': 3 });
      await runTableIntact(c);
    },
  },
  {
    name: 'valid: a view named like an injection is one quoted view', code: null, call: (c) => c.tracker.createView(IDENT_INJECTION, 'cleaned'),
    check: async (_r, c) => {
      expect(await c.tracker.sql(`SELECT count(*) AS n FROM "${IDENT_INJECTION.replace(/"/g, '""')}"`)).toEqual([{ n: 4 }]);
      await runTableIntact(c);
    },
  },
  {
    name: 'valid: a grouped-view predicate value that looks like SQL is bound', code: null, call: grouped('v_inj', { params: [`label=${INJECTION}`] }),
    check: async (_r, c) => { expect(await c.tracker.sql('SELECT * FROM v_inj')).toEqual([]); await runTableIntact(c); },
  },
  {
    name: 'valid: an attached facet named like an injection is a quoted column', code: null, call: grouped('v_att', { attachFacets: ['a"; DROP TABLE run; --'] }),
    check: async (_r, c) => { expect(Object.keys((await c.tracker.sql('SELECT * FROM v_att'))[0] ?? {})).toContain('facet_a"; DROP TABLE run; --'); await runTableIntact(c); },
  },
  {
    name: 'valid: pivotFacets with an injection-looking key and namespace', code: null,
    call: (c) => c.tracker.pivotFacets({ keys: ['alpha', INJECTION], namespace: INJECTION }),
    check: async (r, c) => { expect(await (r as { rows(): Promise<unknown[]> }).rows()).toEqual([]); await runTableIntact(c); },
  },
  {
    name: 'valid: SQL-looking name, model, tags and facet are stored literally', code: null,
    call: (c) => c.tracker.startRun('literal_run', { name: INJECTION, model: "m' OR '1'='1", tags: [INJECTION, 'base'], facet: { [INJECTION]: INJECTION, n: 1 } }, async () => undefined),
    check: async (_r, c) => {
      const run = await c.tracker.getRun('literal_run');
      expect(run).toMatchObject({ name: INJECTION, model: "m' OR '1'='1", tags: [INJECTION, 'base'], facet: { [INJECTION]: INJECTION } });
      expect((await c.tracker.findRuns({ tags: [INJECTION] })).map((r) => r.id)).toEqual(['literal_run']);
      expect((await c.tracker.findRuns({ facet: { [INJECTION]: INJECTION } })).map((r) => r.id)).toEqual(['literal_run']);
      expect(await c.tracker.findRuns({ facet: { [INJECTION]: "x' OR '1'='1" } })).toEqual([]);
      await runTableIntact(c);
    },
  },
  {
    name: 'valid: a SQL-looking artifact facet is stored literally', code: null,
    call: (c) => c.tracker.startRun('literal_art', {}, () => c.tracker.logArtifact(c.csv, { key: 'lit', direction: 'input', facet: { q: INJECTION } })),
    check: async (_r, c) => {
      const kv = await c.tracker.sql('SELECT value_str FROM artifact_kv WHERE key = ?', ['q']);
      expect(kv).toEqual([{ value_str: INJECTION }]);
    },
  },
  {
    name: 'valid: a function step named like an injection', code: null,
    call: (c) => c.tracker.run({ name: INJECTION, fn: () => ({}), outputs: [], config: { q: INJECTION } }),
    check: async (r, c) => {
      const run = (r as { run: { id: string; name: string } }).run;
      expect(run.name).toBe(INJECTION);
      expect((await c.tracker.getRun(run.id))?.config).toEqual({ q: INJECTION });
    },
  },
  {
    name: 'valid: a scenario named like an injection', code: null,
    call: (c) => c.tracker.scenario(INJECTION, { tags: [INJECTION] }, async () => undefined),
    check: async (r) => expect((r as { run: { name: string; tags: string[] } }).run).toMatchObject({ name: INJECTION, tags: [INJECTION] }),
  },
];

describe('bad input: views, facets, columns and SQL-looking strings', () => {
  beforeAll(async () => {
    const seeded = await openSeeded();
    const slots: Artifact[] = [];
    const copy = seeded.ws.file('copies/cleaned.parquet', readFileSync(seeded.produced.path));
    const profiled = await seeded.tracker.startRun('slots', { year: 2030 }, async () => {
      for (let i = 0; i < 10; i++) slots.push(await seeded.tracker.logArtifact(seeded.ws.path(`slots/s${i}.parquet`), { key: `slot_${i}` }));
      return seeded.tracker.logArtifact(copy, { key: 'cleaned', profileSchema: true, facet: { label: 'x', alpha: 3 } });
    });
    const schemaId = String(profiled.schemaId);
    await seeded.tracker.createGroupedView('v_existing', { schemaId });
    s = { ...seeded, schemaId, slots };
  });
  afterAll(() => closeSeeded(s));
  it('has a large generated table', () => expect(cases.length).toBeGreaterThanOrEqual(60));
  eachCase(cases, () => s);
});
