import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildDist } from '../cli/run-cli';

const DIST = path.resolve(__dirname, '../../../dist/index.js');

/**
 * A new process that requires the package, opens a tracker and records a run must not load
 * apache-arrow or yaml (≈ 70 ms of start-up, docs/architecture.md § Dependencies); the first table
 * load does load Arrow and returns a real `arrow.Table`; a bad config file still fails with its code.
 */
describe('lazily loaded dependencies', () => {
  let dir: string;
  beforeAll(() => buildDist());
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'consist-lazy-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = (body: string): Record<string, unknown> => {
    const script = `
      require(${JSON.stringify(require.resolve('reflect-metadata'))});
      const c = require(${JSON.stringify(DIST)});
      const loaded = () => [...new Set(Object.keys(require.cache)
        .map((k) => /[\\\\/]node_modules[\\\\/](apache-arrow|yaml)[\\\\/]/.exec(k)?.[1]).filter(Boolean))].sort();
      (async () => { ${body} })().catch((e) => { console.log(JSON.stringify({ error: e.code ?? String(e) })); });`;
    const r = spawnSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
  };

  it('opens a tracker and records a run without Arrow or yaml, and loads Arrow on the first table load', () => {
    writeFileSync(path.join(dir, 'persons.csv'), 'id,income\n1,50000\n2,61000\n');
    const out = run(`
      const t = await c.Tracker.open({ runDir: 'runs', logger: c.silentLogger });
      const onRequire = loaded();
      await t.startRun('r1', { model: 'm' }, async () => { await t.logArtifact('persons.csv', { key: 'persons' }); });
      const afterRun = loaded();
      const arts = await t.getArtifactsForRun('r1');
      const table = await t.load(arts.outputs.persons);
      const afterLoad = loaded();
      await t.close();
      console.log(JSON.stringify({ onRequire, afterRun, afterLoad, rows: table.numRows, isTable: table.constructor.name }));`);
    expect(out).toEqual({ onRequire: [], afterRun: [], afterLoad: ['apache-arrow'], rows: 2, isTable: 'Table' });
  });

  it('loads yaml with the first config read, and still reports a broken file with its code and line', () => {
    mkdirSync(path.join(dir, 'good'));
    mkdirSync(path.join(dir, 'bad'));
    writeFileSync(path.join(dir, 'good', 'settings.yaml'), 'households_sample_size: 100\nflag: yes\n');
    writeFileSync(path.join(dir, 'bad', 'settings.yaml'), 'a: 1\nb: 2\na: 3\n');
    const out = run(`
      const before = loaded();
      const good = await c.activitysimConfig('good').resolve();
      const err = await c.activitysimConfig('bad').resolve().catch((e) => e);
      console.log(JSON.stringify({ before, value: good.value, code: err.code, message: err.message, after: loaded() }));`);
    expect(out).toMatchObject({ before: [], value: { settings: { households_sample_size: 100, flag: true } }, code: 'CONFIG_DUPLICATE_KEY', after: ['yaml'] });
    expect(String(out.message)).toContain('settings.yaml:3');
  });
});
