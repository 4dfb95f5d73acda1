/**
 * `consist ui` beside a writing process (issue 17): the UI opens the database READ_ONLY per
 * request and never writes; while a writer holds the file exclusively the runs list comes from
 * the run folders' snapshots and the other routes answer 503 DB_LOCKED.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { Tracker } from '../../../src/index';
import type { Fixture } from '../maintenance/fixture';
import { buildDist } from '../cli/run-cli';
import { get, makeUiFixture, startUi, type UiProcess } from './ui-fixture';

/** Every file under `dir` with its size and mtime: what a process that never writes leaves unchanged. */
function tree(dir: string, out = new Map<string, string>()): Map<string, string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) tree(p, out);
    else {
      const st = statSync(p);
      out.set(p, `${st.size}:${st.mtimeMs}`);
    }
  }
  return out;
}

describe('consist ui: a read-only reader beside a writer (spawned dist/cli/main.js)', () => {
  let fx: Fixture;
  let ui: UiProcess;
  let api: (p: string) => ReturnType<typeof get>;
  beforeAll(async () => {
    buildDist();
    fx = await makeUiFixture();
    ui = await startUi(['--port', '0', '--run-dir', fx.runDir], fx.ws.dir);
    api = (p) => get(`${ui.url}api/${p}`);
  }, 180_000);
  afterAll(async () => {
    await ui?.stop();
    fx?.ws.cleanup();
  });

  it('never writes: the database file, its WAL and the runs folder are unchanged by every API route', async () => {
    const before = tree(fx.ws.dir);
    const routes = ['health', 'version', 'runs', 'runs?topLevel=true', 'runs/r1', 'runs/sq2', 'lineage?run=r3&depth=5', 'views', 'schemas',
      `sql?q=${encodeURIComponent('SELECT count(*) AS n FROM run')}`, 'diff?a=sq1&b=sq2', 'runs/no-such-run'];
    for (const r of routes) expect([r, (await api(r)).status]).toEqual([r, r === 'runs/no-such-run' ? 404 : 200]);
    // A statement that would write is refused before DuckDB (and DuckDB would refuse it READ_ONLY).
    expect((await api(`sql?q=${encodeURIComponent('CREATE TABLE t AS SELECT 1')}`)).body.error.code).toBe('UI_SQL_NOT_READ_ONLY');
    expect(tree(fx.ws.dir)).toEqual(before);
    expect(existsSync(`${fx.dbPath}.wal`)).toBe(false);
    expect((await api('runs')).body.source).toBe('database');
  });

  it('serves the runs list from the journal while another process writes runs holding the database exclusively', async () => {
    const writer = await Tracker.open({ runDir: fx.runDir, lockMode: 'exclusive', codeIdentity: 'class-source' });
    try {
      for (const id of ['w1', 'w2']) await writer.startRun(id, { model: 'writer' }, async () => undefined);
      const page = await api('runs?model=writer');
      expect(page.status).toBe(200);
      expect(page.body).toMatchObject({ source: 'journal', total: 2 });
      expect(page.body.notice).toMatch(/another process/);
      expect(page.body.runs.map((r: { id: string }) => r.id)).toEqual(['w2', 'w1']);
      expect((await api('runs')).body.total).toBe(9);
      expect((await api('version')).body).toMatchObject({ source: 'journal', runs: 9 });
      // Bad input: what needs the database answers 503 with the code and a Retry-After, and the UI stays up.
      const locked = await fetch(`${ui.url}api/runs/r1`);
      expect(locked.status).toBe(503);
      expect(locked.headers.get('retry-after')).toBe('2');
      expect(((await locked.json()) as { error: unknown }).error).toMatchObject({ code: 'DB_LOCKED' });
      expect((await api(`sql?q=${encodeURIComponent('SELECT 1')}`)).status).toBe(503);
      expect((await api('runs?status=bogus')).body.error.code).toBe('UI_BAD_REQUEST');
    } finally {
      await writer.close();
    }
    const after = await api('runs?model=writer');
    expect(after.body).toMatchObject({ source: 'database', total: 2 });
    expect(ui.child.exitCode).toBeNull();
  });
});
