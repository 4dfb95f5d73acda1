import { existsSync } from 'node:fs';
import { Tracker } from '../../../src/index';
import type { Fixture } from '../maintenance/fixture';
import { buildDist, consist } from '../cli/run-cli';
import { get, makeUiFixture, rawGet, startUi, type UiProcess } from './ui-fixture';

describe('consist ui: the JSON API over a real runs folder (spawned dist/cli/main.js)', () => {
  let fx: Fixture;
  let ui: UiProcess;
  let api: (path: string) => ReturnType<typeof get>;
  beforeAll(async () => {
    buildDist();
    fx = await makeUiFixture();
    ui = await startUi(['--port', '0', '--run-dir', fx.runDir, '--lock-timeout', '300'], fx.ws.dir);
    api = (p) => get(`${ui.url}api/${p}`);
  }, 180_000);
  afterAll(async () => {
    await ui?.stop();
    fx?.ws.cleanup();
  });

  it('prints a loopback URL and serves the bundled page', async () => {
    expect(ui.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await get(ui.url);
    expect(page.status).toBe(200);
    expect(page.type).toMatch(/text\/html/);
    expect(page.text).toContain('/app.js');
    expect((await get(`${ui.url}app.js`)).status).toBe(200);
  });

  it('lists runs newest first, filtered and paged', async () => {
    const all = (await api('runs')).body;
    expect(all.total).toBe(7);
    const started = all.runs.map((r: { startedAt: string }) => r.startedAt);
    expect([...started].sort().reverse()).toEqual(started);
    const ids = async (q: string) => (await api(`runs?${q}`)).body.runs.map((r: { id: string }) => r.id).sort();
    expect(await ids('model=asim')).toEqual(['r1', 'r2']);
    expect(await ids('status=failed')).toEqual(['boom']);
    expect(await ids('scenario=r1')).toEqual(['r2']);
    expect(await ids('year=2040')).toEqual(['sq1', 'sq1-again', 'sq2']);
    expect(await ids('hit=true')).toEqual(['sq1-again']);
    expect(await ids('text=SQ1')).toEqual(['sq1', 'sq1-again']);
    const page2 = (await api('runs?limit=3&offset=3')).body;
    expect(page2).toMatchObject({ total: 7, limit: 3, offset: 3 });
    expect(page2.runs.map((r: { id: string }) => r.id)).toEqual(all.runs.slice(3, 6).map((r: { id: string }) => r.id));
  });

  it('shows a run: identity, config, artifacts with sizes and drivers, hit source, miss explanation', async () => {
    const hit = (await api('runs/sq1-again')).body;
    expect(hit.run.cacheHit).toBe(true);
    expect(hit.reusedFrom).toMatchObject({ id: 'sq1' });
    expect(hit.identity.map((f: { name: string }) => f.name).slice(0, 4)).toEqual(['signature', 'code', 'config', 'inputs']);
    const miss = (await api('runs/sq2')).body;
    expect(miss.missExplanation).toMatchObject({ reason: 'config_changed', details: { configKeysChanged: ['alpha'] } });
    expect(miss.run.config).toEqual({ i: 3, alpha: 0.7 });
    const r2 = (await api('runs/r2')).body;
    expect(r2.inputs[0]).toMatchObject({ key: 'persons', artifact: { driver: 'csv', size: expect.any(Number) } });
    expect(r2.outputs.map((o: { key: string }) => o.key)).toEqual(['summary']);
    expect((await api('runs/r1')).body.children.map((c: { id: string }) => c.id)).toEqual(['r2']);
  });

  it('diffs two runs', async () => {
    const d = (await api('diff?a=sq1&b=sq2')).body;
    expect(d.configKeysChanged).toEqual(['alpha']);
    expect(d.fields.map((f: { name: string }) => f.name)).toContain('configHash');
  });

  it('draws the lineage of an artifact and of a run, with a depth limit', async () => {
    const g = (await api(`lineage?artifact=${fx.artifacts.summary}`)).body;
    expect(g.root).toBe(`artifact:${fx.artifacts.summary}`);
    expect(g.nodes.filter((n: { type: string }) => n.type === 'run').map((n: { rawId: string }) => n.rawId).sort()).toEqual(['r1', 'r2']);
    expect(g.edges).toContainEqual({ from: 'run:r2', to: `artifact:${fx.artifacts.summary}` });
    const run = (await api('lineage?run=r3&depth=1')).body;
    expect(run.nodes.map((n: { id: string }) => n.id)).toEqual(expect.arrayContaining(['run:r3', 'run:r2', `artifact:${fx.artifacts.summary}`]));
    expect(run.nodes.some((n: { id: string }) => n.id === 'run:r1')).toBe(false);
    expect(run.nodes.find((n: { label: string }) => n.label === 'persons').truncated).toBe(true);
  });

  it('lists views and schemas, previews a view, runs read-only SQL', async () => {
    expect(Array.isArray((await api('views')).body)).toBe(true);
    expect(Array.isArray((await api('schemas')).body)).toBe(true);
    const rows = (await api(`sql?q=${encodeURIComponent('SELECT id, year FROM run WHERE year = 2030 ORDER BY id')}`)).body;
    expect(rows).toEqual({ columns: ['id', 'year'], rows: [{ id: 'r2', year: 2030 }, { id: 'r3', year: 2030 }], truncated: false });
    expect((await api(`sql?q=${encodeURIComponent('SELECT * FROM run')}&limit=2`)).body).toMatchObject({ truncated: true });
  });

  it.each([
    ['runs/nope', 404, 'RUN_NOT_FOUND'],
    ['artifacts/a_nope', 404, 'ARTIFACT_NOT_FOUND'],
    ['lineage?artifact=a_nope', 404, 'ARTIFACT_NOT_FOUND'],
    ['lineage?run=nope', 404, 'RUN_NOT_FOUND'],
    ['diff?a=r1&b=nope', 404, 'RUN_NOT_FOUND'],
    ['nothing-here', 404, 'UI_NOT_FOUND'],
    ['views/nope/preview', 400, 'VIEW_SELECTION_INVALID'],
    ['runs?status=weird', 400, 'UI_BAD_REQUEST'],
    ['runs?limit=100000', 400, 'UI_BAD_REQUEST'],
    ['lineage?run=r1&depth=-1', 400, 'UI_BAD_REQUEST'],
    [`sql?q=${encodeURIComponent('DELETE FROM run')}`, 400, 'UI_SQL_NOT_READ_ONLY'],
    [`sql?q=${encodeURIComponent('SELECT 1; DROP TABLE run')}`, 400, 'UI_SQL_NOT_READ_ONLY'],
    [`sql?q=${encodeURIComponent("COPY run TO '/tmp/x.csv'")}`, 400, 'UI_SQL_NOT_READ_ONLY'],
    [`sql?q=${encodeURIComponent('SELECT * FROM no_such_table')}`, 400, 'DB_QUERY_FAILED'],
  ])('GET /api/%s → %i %s, as JSON', async (p, status, code) => {
    const r = await api(p);
    expect(r.status).toBe(status);
    expect(r.body.error.code).toBe(code);
    expect(r.body.error.message).toEqual(expect.any(String));
  });

  it('still has every run after the refused SQL', async () => {
    expect((await api('runs')).body.total).toBe(7);
  });

  it('refuses a foreign Host header (DNS rebinding) and path traversal', async () => {
    const foreign = await rawGet(ui.url, '/api/runs', { Host: 'evil.example:80' });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.text).error.code).toBe('UI_HOST_REFUSED');
    expect((await rawGet(ui.url, '/api/runs', { Host: `localhost:${new URL(ui.url).port}` })).status).toBe(200);
    for (const p of ['/..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/package.json', '/../../package.json', '/..%5cpackage.json']) {
      const r = await rawGet(ui.url, p);
      expect([403, 404]).toContain(r.status);
      expect(r.text).not.toContain('"name"');
    }
    expect((await rawGet(ui.url, '/..%2f..%2fpackage.json')).status).toBe(403);
    const post = await fetch(`${ui.url}api/runs`, { method: 'POST' });
    expect(post.status).toBe(405);
  });

  it('sees runs a shared-mode writer records while it serves', async () => {
    const before = (await api('version')).body;
    const writer = await Tracker.open({ runDir: fx.runDir, lockMode: 'shared', codeIdentity: 'class-source' });
    await writer.startRun('late', { model: 'late' }, async () => undefined);
    await writer.close();
    const after = (await api('version')).body;
    expect(after.runs).toBe(before.runs + 1);
    expect((await api('runs?model=late')).body.runs.map((r: { id: string }) => r.id)).toEqual(['late']);
  });

  it('answers 503 DB_LOCKED (runs list: from the journal) while another process holds the database exclusively, and recovers', async () => {
    const holder = await Tracker.open({ runDir: fx.runDir, lockMode: 'exclusive', codeIdentity: 'class-source' });
    try {
      const r = await api('runs/r1');
      expect(r.status).toBe(503);
      expect(r.body.error.code).toBe('DB_LOCKED');
      expect((await api('runs')).body.source).toBe('journal');
    } finally {
      await holder.close();
    }
    const after = await api('runs');
    expect(after.status).toBe(200);
    expect(after.body.source).toBe('database');
  });

  it('fails with UI_PORT_IN_USE on a taken port, and CLI_NO_DATABASE for a missing runs folder', () => {
    const taken = consist(['ui', '--port', new URL(ui.url).port, '--run-dir', fx.runDir], fx.ws.dir);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/^error \[UI_PORT_IN_USE\]/);
    const missing = fx.ws.path('no-such-runs');
    const none = consist(['ui', '--run-dir', missing], fx.ws.dir);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^error \[CLI_NO_DATABASE\]/);
    expect(existsSync(missing)).toBe(false);
    const bad = consist(['ui', '--host', '0.0.0.0', '--run-dir', fx.runDir], fx.ws.dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error \[CLI_USAGE\]/);
  });
});
