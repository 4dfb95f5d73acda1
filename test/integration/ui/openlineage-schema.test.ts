/**
 * The OpenLineage events consist-ts emits validate against the OpenLineage JSON Schemas (vendored
 * under test/fixtures/openlineage, Apache-2.0) and their `consist` facets against the schemas we
 * ship in docs/schemas, which their `_schemaURL`s name; `producer` names this package's repository
 * at its version (package.json).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Tracker } from '../../../src/index';
import { memoryLogger, tmpWorkspace, type Workspace } from '../../helpers/workspace';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const readJson = (...p: string[]) => JSON.parse(readFileSync(path.join(ROOT, ...p), 'utf8')) as Record<string, unknown>;
const pkg = readJson('package.json') as { version: string; repository: { url: string } };
const repo = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');

type Validate = ((data: unknown) => boolean) & { errors?: unknown };
interface Ajv { addSchema(s: object, key?: string): void; getSchema(ref: string): Validate | undefined }

/** ajv (a transitive dev dependency) with the OpenLineage schemas and ours; undefined when it is not installed. */
function loadAjv(): Ajv | undefined {
  let AjvClass: new (o: object) => Ajv;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    AjvClass = require('ajv') as typeof AjvClass;
  } catch {
    return undefined;
  }
  // ajv 6 speaks draft-07; these schemas only use what draft-07 has ($defs are plain JSON-pointer refs).
  const ajv = new AjvClass({ allErrors: true, validateSchema: false, schemaId: 'auto' });
  for (const f of ['OpenLineage.json', 'ParentRunFacet.json', 'ErrorMessageRunFacet.json']) {
    const s = readJson('test', 'fixtures', 'openlineage', f);
    delete s.$schema;
    ajv.addSchema(s);
  }
  for (const f of ['consist-run-facet.json', 'consist-dataset-facet.json']) {
    const s = readJson('docs', 'schemas', f);
    delete s.$schema;
    ajv.addSchema(s, f);
  }
  return ajv;
}

const ajv = loadAjv();
const check = (ref: string, value: unknown): string[] => {
  const v = ajv!.getSchema(ref);
  if (!v) return [`no schema ${ref}`];
  return v(value) ? [] : [`${ref}: ${JSON.stringify(v.errors)}`];
};
const RUN_EVENT = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';

/** The schema a facet's `_schemaURL` names: a vendored OpenLineage one by $id, or ours in docs/schemas by file name. */
function schemaRefOf(url: string): string {
  const base = `${repo}/blob/v${pkg.version}/docs/schemas/`;
  return url.startsWith(base) ? url.slice(base.length) : url;
}

function problems(event: { run: { facets: Record<string, { _schemaURL: string }> }; inputs: Ds[]; outputs: Ds[] }): string[] {
  const out = check(RUN_EVENT, event);
  const facets = [...Object.values(event.run.facets), ...[...event.inputs, ...event.outputs].flatMap((d) => Object.values(d.facets))];
  for (const f of facets) out.push(...check(schemaRefOf(f._schemaURL), f));
  return out;
}
interface Ds { facets: Record<string, { _schemaURL: string }> }

(ajv ? describe : describe.skip)('OpenLineage events against the OpenLineage JSON Schemas', () => {
  let ws: Workspace;
  beforeEach(() => {
    ws = tmpWorkspace('consist-ol-schema-');
  });
  afterEach(() => ws.cleanup());

  it('every event (START/COMPLETE/FAIL, hits, parents, inputs and outputs) and every facet validates; producer is the repository at this version', async () => {
    const file = ws.path('lineage', 'events.jsonl');
    const tracker = await Tracker.open({ runDir: ws.path('runs'), logger: memoryLogger(), codeIdentity: 'class-source', openLineage: { file } });
    try {
      const input = ws.file('data/households.csv', 'id,size\n1,2\n');
      const step = { name: 'square', model: 'sq', year: 2030, config: { i: 2 }, fn: async () => ({ table: [{ i: 2, sq: 4 }] }) };
      await tracker.run({ ...step, runId: 'first' });
      await tracker.run({ ...step, runId: 'again' });
      await tracker.startRun('header', { model: 'asim' }, async () => {
        await tracker.logArtifact(input, { key: 'households', direction: 'input' });
      });
      await tracker.startRun('child', { parentRunId: 'header' }, async () => {
        await tracker.logArtifact(input, { key: 'households', direction: 'input' });
        await tracker.logArtifact(ws.file('runs/child/out.csv', 'a\n1\n'), { key: 'out' });
      });
      await tracker.startRun('boom', {}, async () => { throw new Error('diverged'); }).catch(() => undefined);
    } finally {
      await tracker.close();
    }
    const events = readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(events.length).toBe(10);
    expect(events.flatMap(problems)).toEqual([]);
    const names = new Set(events.flatMap((e) => Object.keys(e.run.facets)));
    expect([...names].sort()).toEqual(['consist', 'errorMessage', 'parent']);
    expect(events.some((e) => e.inputs.length > 0) && events.some((e) => e.outputs.length > 0)).toBe(true);
    expect(new Set(events.map((e) => e.producer))).toEqual(new Set([`${repo}/tree/v${pkg.version}`]));
    expect(events[0].run.facets.consist._schemaURL).toBe(`${repo}/blob/v${pkg.version}/docs/schemas/consist-run-facet.json#/$defs/ConsistRunFacet`);
  });

  it('the schemas are live: a non-UUID runId and a consist facet without cacheHit are rejected', () => {
    const event = {
      eventType: 'START', eventTime: '2026-01-01T00:00:00Z', producer: `${repo}/tree/v${pkg.version}`, schemaURL: RUN_EVENT,
      run: { runId: 'r1', facets: {} }, job: { namespace: 'consist', name: 'x' }, inputs: [], outputs: [],
    };
    expect(check(RUN_EVENT, event).join()).toMatch(/uuid/);
    const facet = { _producer: event.producer, _schemaURL: 'consist-run-facet.json#/$defs/ConsistRunFacet', runId: 'r1', kind: 'step' };
    expect(check('consist-run-facet.json#/$defs/ConsistRunFacet', facet).join()).toMatch(/cacheHit/);
  });
});

if (!ajv) {
  it('is skipped: ajv is not installed here (it comes with eslint)', () => {
    console.warn('OpenLineage schema validation skipped: ajv is not installed');
  });
}
