import { readFileSync, writeFileSync } from 'node:fs';
import type { Fixture } from '../maintenance/fixture';
import { buildDist, consist, json, type CliResult } from '../cli/run-cli';
import { makeUiFixture } from './ui-fixture';

const codeOf = (r: CliResult) => /^error \[([A-Z_]+)\]/.exec(r.stderr)?.[1];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('consist lineage --format and consist export (spawned CLI over a real runs folder)', () => {
  let fx: Fixture;
  let at: string[];
  beforeAll(async () => {
    buildDist();
    fx = await makeUiFixture();
    at = ['--run-dir', fx.runDir];
  }, 180_000);
  afterAll(() => fx?.ws.cleanup());

  it('draws the lineage of a run or an artifact as tree, dot, mermaid and JSON', () => {
    const tree = consist(['lineage', 'r3', '--format', 'tree', ...at], fx.ws.dir);
    expect(tree.code).toBe(0);
    const lines = tree.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^run r3 \[completed\]/);
    expect(lines[1]).toMatch(/^└── summary /);
    expect(lines[2]).toMatch(/^ {4}└── run r2 /);
    const dot = consist(['lineage', fx.artifacts.summary, '--format', 'dot', ...at], fx.ws.dir).stdout;
    expect(dot).toMatch(/^digraph lineage \{\n {2}rankdir=LR;/);
    expect(dot).toContain(`"run:r2" -> "artifact:${fx.artifacts.summary}";`);
    const mermaid = consist(['lineage', 'r3', '--format', 'mermaid', ...at], fx.ws.dir).stdout;
    expect(mermaid).toMatch(/^flowchart LR\n/);
    expect(mermaid).toMatch(/n\d+\["r3"\]/);
    const failed = consist(['lineage', 'boom', '--format', 'mermaid', ...at], fx.ws.dir).stdout;
    expect(failed).toMatch(/class n0 failed/);
    const graph = json<{ root: string; nodes: Array<{ id: string }>; edges: unknown[] }>(consist(['lineage', 'r3', '--format', 'json', '--depth', '1', ...at], fx.ws.dir));
    expect(graph.root).toBe('run:r3');
    expect(graph.nodes.map((n) => n.id)).toContain('run:r2');
    expect(graph.nodes.map((n) => n.id)).not.toContain('run:r1');
  });

  it('rejects an unknown id and an unknown format', () => {
    const none = consist(['lineage', 'nope', '--format', 'dot', ...at], fx.ws.dir);
    expect(none.code).toBe(1);
    expect(codeOf(none)).toBe('ARTIFACT_NOT_FOUND');
    expect(none.stderr).toMatch(/No artifact or run has this id/);
    const bad = consist(['lineage', 'r3', '--format', 'png', ...at], fx.ws.dir);
    expect(bad.code).toBe(2);
    expect(codeOf(bad)).toBe('CLI_USAGE');
  });

  it('exports OpenLineage run events: START and COMPLETE/FAIL, datasets keyed by URI, a consist facet', () => {
    const r = consist(['export', 'openlineage', ...at], fx.ws.dir);
    expect(r.code).toBe(0);
    const events = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(events).toHaveLength(14); // 7 runs × (START + COMPLETE or FAIL)
    for (const e of events) {
      expect(e.schemaURL).toMatch(/^https:\/\/openlineage\.io\/spec\/2-0-2\/OpenLineage\.json/);
      expect(e.run.runId).toMatch(UUID);
      expect(e.job.namespace).toBe('consist');
    }
    const of = (id: string) => events.filter((e) => e.run.facets.consist.runId === id);
    expect(of('boom').map((e) => e.eventType)).toEqual(['START', 'FAIL']);
    expect(of('boom')[1].run.facets.errorMessage.message).toMatch(/the model diverged/);
    const hit = of('sq1-again')[1];
    expect(hit.run.facets.consist).toMatchObject({ cacheHit: true, reusedRunId: 'sq1', signature: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(of('sq1-again')[0].run.runId).toBe(hit.run.runId);
    const r2 = of('r2')[1];
    expect(r2.eventType).toBe('COMPLETE');
    expect(r2.inputs[0]).toMatchObject({ namespace: 'run://', name: 'r1/persons.csv', facets: { consist: { key: 'persons', driver: 'csv' } } });
    expect(r2.run.facets.parent).toMatchObject({ run: { runId: of('r1')[0].run.runId }, job: { name: 'r1' } });
    const future = consist(['export', 'openlineage', '--since', '2999-01-01', ...at], fx.ws.dir);
    expect(future.stdout).toBe('');
  });

  it('exports W3C PROV-JSON and writes --out files only with --force when they exist', () => {
    const doc = json<{ activity: Record<string, unknown>; entity: Record<string, unknown>; used: object; wasGeneratedBy: object; wasInformedBy: object }>(
      consist(['export', 'prov', ...at], fx.ws.dir));
    expect(Object.keys(doc.activity).sort()).toEqual(['run:boom', 'run:r1', 'run:r2', 'run:r3', 'run:sq1', 'run:sq1-again', 'run:sq2']);
    expect(doc.entity[`artifact:${fx.artifacts.summary}`]).toMatchObject({ 'prov:label': 'summary' });
    expect(Object.values(doc.used)).toContainEqual({ 'prov:activity': 'run:r3', 'prov:entity': `artifact:${fx.artifacts.summary}` });
    expect(Object.values(doc.wasInformedBy)).toContainEqual({ 'prov:informed': 'run:r2', 'prov:informant': 'run:r1' });
    const out = fx.ws.path('prov.json');
    writeFileSync(out, 'keep me');
    const refused = consist(['export', 'prov', '--out', out, ...at], fx.ws.dir);
    expect(refused.code).toBe(2);
    expect(codeOf(refused)).toBe('CLI_USAGE');
    expect(readFileSync(out, 'utf8')).toBe('keep me');
    expect(consist(['export', 'prov', '--out', out, '--force', ...at], fx.ws.dir).code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).activity['run:r1']).toBeDefined();
    const bad = consist(['export', 'openlineage', '--since', 'yesterday', ...at], fx.ws.dir);
    expect(bad.code).toBe(2);
    expect(codeOf(bad)).toBe('CLI_USAGE');
  });
});

describe('consist runs --watch', () => {
  let fx: Fixture;
  beforeAll(async () => {
    buildDist();
    fx = await makeUiFixture();
  }, 180_000);
  afterAll(() => fx?.ws.cleanup());

  it('lists the runs, re-checks each interval, prints only changes off a terminal, and stops after --iterations', () => {
    const r = consist(['runs', '--watch', '1', '--iterations', '2', '--run-dir', fx.runDir], fx.ws.dir);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^\d+ run\(s\) · /gm)).toHaveLength(1);
    expect(r.stdout).toMatch(/^7 run\(s\)/);
    expect(r.stdout).toMatch(/^ID\s+NAME\s+MODEL\s+STATUS/m);
    const both = consist(['runs', '--watch', '--json', '--run-dir', fx.runDir], fx.ws.dir);
    expect(both.code).toBe(2);
    expect(codeOf(both)).toBe('CLI_USAGE');
  });
});
