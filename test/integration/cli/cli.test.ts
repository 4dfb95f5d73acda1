import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DEAD_PID, makeFixture, writeRunningSnapshot, type Fixture } from '../maintenance/fixture';
import { buildDist, CLI_MAIN, consist, json, type CliResult } from './run-cli';

const ONE_LINE_ERROR = /^error \[([A-Z_]+)\]: [^\n]+\n$/;
const errorCode = (r: CliResult) => ONE_LINE_ERROR.exec(r.stderr)?.[1];

describe('consist CLI (spawned dist/cli/main.js)', () => {
  let fx: Fixture;
  let cwd: string;
  let at: string[];
  beforeAll(async () => {
    buildDist();
    fx = await makeFixture();
    cwd = fx.ws.dir;
    at = ['--run-dir', fx.runDir];
  }, 180_000);
  afterAll(() => fx?.ws.cleanup());

  it('prints help without loading the database', () => {
    const r = consist(['--help'], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/runs .*list recent runs/);
    expect(r.stdout).toMatch(/\bdb\b/);
  });

  it('builds the command tree without loading DuckDB, Arrow, Kysely or the tracker', () => {
    const probe = `require(${JSON.stringify(CLI_MAIN.replace(/main\.js$/, 'program.js'))}).buildProgram();` +
      'console.log(JSON.stringify(Object.keys(require.cache).filter((k) => /duckdb|apache-arrow|kysely|tracker\\/tracker/.test(k))))';
    expect(JSON.parse(execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' }))).toEqual([]);
  });

  it('lists runs as JSON and as an aligned table, with filters', () => {
    const all = json<Array<{ id: string }>>(consist(['runs', '--json', ...at], cwd));
    expect(all.map((r) => r.id).sort()).toEqual(['r1', 'r2', 'r3']);
    const ids = (args: string[]) => json<Array<{ id: string }>>(consist(['runs', '--json', ...at, ...args], cwd)).map((r) => r.id).sort();
    expect(ids(['--model', 'asim'])).toEqual(['r1', 'r2']);
    expect(ids(['--year', '2030'])).toEqual(['r2', 'r3']);
    expect(ids(['--scenario', 'r1'])).toEqual(['r2']);
    expect(ids(['--tag', 'base'])).toEqual(['r1']);
    expect(ids(['--status', 'failed'])).toEqual([]);
    expect(ids(['--limit', '1'])).toHaveLength(1);
    const table = consist(['runs', ...at], cwd);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\s+MODEL\s+STATUS/);
    expect(lines).toHaveLength(4);
    expect(lines[1].indexOf('completed')).toBe(lines[0].indexOf('STATUS'));
    expect(table.stdout).not.toContain('\x1b[');
  });

  it('shows one run with its identity and artifacts', () => {
    const r = consist(['show', 'r2', ...at], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^id\s+r2$/m);
    expect(r.stdout).toContain('Identity');
    expect(r.stdout).toMatch(/in\s+persons/);
    const j = json<{ run: { id: string; parentRunId: string }; inputs: object; outputs: object }>(consist(['show', 'r2', '--json', ...at], cwd));
    expect(j.run).toMatchObject({ id: 'r2', parentRunId: 'r1' });
    expect(Object.keys(j.inputs)).toEqual(['persons']);
    expect(Object.keys(j.outputs)).toEqual(['summary']);
  });

  it('fails with exit 1 and one line RUN_NOT_FOUND for an unknown run', () => {
    for (const cmd of ['show', 'artifacts', 'explain']) {
      const r = consist([cmd, 'nope', ...at], cwd);
      expect(r.code).toBe(1);
      expect(errorCode(r)).toBe('RUN_NOT_FOUND');
      expect(r.stdout).toBe('');
    }
  });

  it('prints the stack with --verbose', () => {
    const r = consist(['show', 'nope', '--verbose', ...at], cwd);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error \[RUN_NOT_FOUND\]/);
    expect(r.stderr).toMatch(/\n\s+at /);
  });

  it("lists a run's artifacts", () => {
    const j = json<{ inputs: Record<string, { id: string }>; outputs: Record<string, { id: string }> }>(consist(['artifacts', 'r1', '--json', ...at], cwd));
    expect(Object.keys(j.inputs)).toEqual(['households']);
    expect(j.outputs.persons.id).toBe(fx.artifacts.persons);
    const table = consist(['artifacts', 'r1', ...at], cwd).stdout.split('\n');
    expect(table[0]).toMatch(/^DIR\s+KEY\s+DRIVER/);
    expect(table[1]).toMatch(/^in\s+households\s+csv/);
  });

  it('prints lineage as an indented tree and as JSON', () => {
    const r = consist(['lineage', fx.artifacts.summary, ...at], cwd);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^summary\s/);
    expect(lines[1]).toMatch(/^└── run r2 \[completed\]/);
    expect(lines[2]).toMatch(/^ {4}└── persons\s/);
    expect(lines[3]).toMatch(/^ {8}└── run r1 /);
    expect(lines[4]).toMatch(/^ {12}└── households .*\(raw input\)/);
    const tree = json<{ producer: { run: { id: string }; inputs: Array<{ producer: unknown; truncated?: boolean }> } }>(
      consist(['lineage', fx.artifacts.summary, '--depth', '1', '--json', ...at], cwd));
    expect(tree.producer.run.id).toBe('r2');
    expect(tree.producer.inputs[0]).toMatchObject({ producer: null, truncated: true });
    expect(errorCode(consist(['lineage', 'a_nope', ...at], cwd))).toBe('ARTIFACT_NOT_FOUND');
  });

  it('explains a run without a recorded cache miss', () => {
    const r = consist(['explain', 'r1', '--json', ...at], cwd);
    expect(r.code).toBe(0);
    expect(json(r)).toBeNull();
  });

  it('runs SQL with table, JSON and CSV output', () => {
    const sql = 'SELECT id, year FROM run ORDER BY id';
    expect(json(consist(['query', sql, '--json', ...at], cwd))).toEqual([
      { id: 'r1', year: 2020 }, { id: 'r2', year: 2030 }, { id: 'r3', year: 2030 }]);
    expect(consist(['query', sql, '--csv', ...at], cwd).stdout).toBe('id,year\nr1,2020\nr2,2030\nr3,2030\n');
    expect(json(consist(['query', 'SELECT count(*) AS n FROM artifact', '--json', ...at], cwd))).toEqual([{ n: 3 }]);
    expect(consist(['query', sql, ...at], cwd).stdout).toMatch(/^id\s+year\nr1\s+2020\n[\s\S]*\(3 rows\)\n$/);
    const bad = consist(['query', 'SELEC nope', ...at], cwd);
    expect(bad.code).toBe(1);
    expect(errorCode(bad)).toBe('DB_QUERY_FAILED');
  });

  it('reports usage errors with exit 2', () => {
    const unknown = consist(['runs', '--bogus', ...at], cwd);
    expect(unknown.code).toBe(2);
    expect(errorCode(unknown)).toBe('CLI_USAGE');
    expect(errorCode(consist(['runs', '--status', 'weird', ...at], cwd))).toBe('CLI_USAGE');
    expect(consist(['runs', '--limit', 'x', ...at], cwd).code).toBe(2);
    expect(consist(['query', 'SELECT 1', '--json', '--csv', ...at], cwd).code).toBe(2);
  });

  it('fails with CLI_NO_DATABASE when there is no database', () => {
    const r = consist(['runs', '--run-dir', path.join(fx.ws.dir, 'empty')], cwd);
    expect(r.code).toBe(1);
    expect(errorCode(r)).toBe('CLI_NO_DATABASE');
  });

  it('reads runDir and dbPath from ./consist.config.json, and --db alone', () => {
    writeFileSync(path.join(cwd, 'consist.config.json'), JSON.stringify({ runDir: 'runs' }));
    expect(json<unknown[]>(consist(['runs', '--json'], cwd))).toHaveLength(3);
    expect(json<unknown[]>(consist(['runs', '--json', '--db', fx.dbPath], fx.runDir))).toHaveLength(3);
    writeFileSync(path.join(cwd, 'consist.config.json'), '{ nope');
    expect(errorCode(consist(['runs'], cwd))).toBe('CLI_CONFIG_INVALID');
    writeFileSync(path.join(cwd, 'consist.config.json'), '{}');
  });

  it('runs db doctor, rebuild, compact and purge', () => {
    const healthy = consist(['db', 'doctor', '--json', ...at], cwd);
    expect(healthy.code).toBe(0);
    expect(json(healthy)).toMatchObject({ ok: true });
    writeRunningSnapshot(fx.runDir, 'zombie', DEAD_PID);
    const sick = consist(['db', 'doctor', ...at], cwd);
    expect(sick.code).toBe(1);
    expect(sick.stdout).toMatch(/1 runs stuck in 'running'\n\s+zombie/);
    const fixed = consist(['db', 'doctor', '--fix', '--json', ...at], cwd);
    expect(json(fixed)).toMatchObject({ ok: true, fixed: { markedFailed: ['zombie'] } });
    expect(json(consist(['db', 'rebuild', '--json', ...at], cwd))).toMatchObject({ runs: 4, errors: [] });
    expect(json(consist(['db', 'compact', '--json', ...at], cwd))).toMatchObject({ rewritten: true });
    const unconfirmed = consist(['db', 'purge', '--run', 'zombie', ...at], cwd);
    expect(errorCode(unconfirmed)).toBe('CLI_CONFIRMATION_REQUIRED');
    expect(json(consist(['db', 'purge', '--run', 'zombie', '--dry-run', '--json', ...at], cwd))).toMatchObject({ dryRun: true, runs: ['zombie'] });
    expect(json(consist(['db', 'purge', '--run', 'zombie', '--yes', '--json', ...at], cwd))).toMatchObject({ dryRun: false, runs: ['zombie'] });
    expect(errorCode(consist(['show', 'zombie', ...at], cwd))).toBe('RUN_NOT_FOUND');
    expect(errorCode(consist(['db', 'purge', '--run', '../x', '--yes', ...at], cwd))).toBe('RUN_ID_INVALID');
  });
});
