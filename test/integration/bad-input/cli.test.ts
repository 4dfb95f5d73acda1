/**
 * Generated bad-input cases for the `consist` CLI (spawned `node dist/cli/main.js`): unknown
 * commands and flags, missing arguments, bad `--db` paths, invalid SQL, unknown runs. Each exits
 * non-zero with exactly one line `error [CODE]: …` on stderr, and leaves the runs folder and the
 * provenance database as they were.
 */
import { buildDist, consist } from '../cli/run-cli';
import { Tracker } from '../../../src/index';
import { closeSeeded, fingerprint, hashTree, openSeeded, type Seeded, type StateFingerprint } from './harness';

const ONE_LINE_ERROR = /^error \[([A-Z_]+)\]: [^\n]+\n$/;

interface CliCase { name: string; args: (s: Seeded, at: string[]) => string[]; code: string; exit: number }

const SQLI = "a'; DROP TABLE run;--";
const CASES: readonly CliCase[] = [
  { name: 'unknown command', args: () => ['frobnicate'], code: 'CLI_USAGE', exit: 2 },
  { name: 'unknown flag', args: (_s, at) => ['runs', '--frobnicate', ...at], code: 'CLI_USAGE', exit: 2 },
  { name: 'show without its run argument', args: (_s, at) => ['show', ...at], code: 'CLI_USAGE', exit: 2 },
  { name: 'query without SQL', args: (_s, at) => ['query', ...at], code: 'CLI_USAGE', exit: 2 },
  { name: '--limit that is not a number', args: (_s, at) => ['runs', '--limit', 'ten', ...at], code: 'CLI_USAGE', exit: 2 },
  { name: 'query with --json and --csv', args: (_s, at) => ['query', 'SELECT 1', '--json', '--csv', ...at], code: 'CLI_USAGE', exit: 2 },
  { name: '--db in a missing folder', args: (s) => ['runs', '--db', s.ws.path('nowhere/provenance.duckdb')], code: 'CLI_NO_DATABASE', exit: 1 },
  { name: '--run-dir without a database', args: (s) => ['runs', '--run-dir', s.ws.path('data')], code: 'CLI_NO_DATABASE', exit: 1 },
  { name: '--db that is not a DuckDB file', args: (s) => ['runs', '--db', s.ws.file('notes.txt', 'hello\n')], code: 'DB_OPEN_FAILED', exit: 1 },
  { name: '--db that is a CSV file', args: (s) => ['runs', '--db', s.csv], code: 'CONFIGURATION_INVALID', exit: 1 },
  { name: '--config that does not exist', args: (s) => ['runs', '--config', s.ws.path('nope.json')], code: 'CLI_CONFIG_INVALID', exit: 1 },
  { name: 'query with invalid SQL', args: (_s, at) => ['query', 'SELEKT * FROM run', ...at], code: 'DB_QUERY_FAILED', exit: 1 },
  { name: 'query of an unknown table', args: (_s, at) => ['query', 'SELECT * FROM no_such_table', ...at], code: 'DB_QUERY_FAILED', exit: 1 },
  { name: 'query that is empty', args: (_s, at) => ['query', '   ', ...at], code: 'CONFIGURATION_INVALID', exit: 1 },
  { name: 'show an unknown run', args: (_s, at) => ['show', 'no_such_run', ...at], code: 'RUN_NOT_FOUND', exit: 1 },
  { name: 'show an SQL-injection run id', args: (_s, at) => ['show', SQLI, ...at], code: 'RUN_NOT_FOUND', exit: 1 },
  { name: 'explain an unknown run', args: (_s, at) => ['explain', '../../etc/passwd', ...at], code: 'RUN_NOT_FOUND', exit: 1 },
  { name: 'lineage of an unknown artifact', args: (_s, at) => ['lineage', SQLI, ...at], code: 'ARTIFACT_NOT_FOUND', exit: 1 },
];

describe('bad input: the consist CLI', () => {
  let s: Seeded;
  let at: string[];
  let before: StateFingerprint;
  let filesBefore: Record<string, string>;

  beforeAll(async () => {
    buildDist();
    s = await openSeeded({ logger: undefined });
    before = await fingerprint(s.tracker);
    filesBefore = before.files;
    await s.tracker.close();
    at = ['--run-dir', s.tracker.runDir];
  }, 180_000);

  afterAll(async () => {
    const reopened = await Tracker.open({ runDir: s.tracker.runDir, codeIdentity: 'class-source', mounts: { inputs: s.mountRoot } });
    try {
      const after = await fingerprint(reopened);
      expect({ ...after, catalog: [] }).toEqual({ ...before, catalog: [] });
    } finally {
      await reopened.close();
      await closeSeeded(s);
    }
  });

  it('has a table of CLI cases', () => expect(CASES.length).toBeGreaterThanOrEqual(15));

  it.each(CASES.map((c) => [c.code, c.name, c] as const))('%s: %s', (_code, _name, c) => {
    const r = consist(c.args(s, at), s.ws.dir);
    expect({ exit: r.code, stderr: r.stderr }).toEqual({ exit: c.exit, stderr: expect.stringMatching(ONE_LINE_ERROR) });
    expect(ONE_LINE_ERROR.exec(r.stderr)?.[1]).toBe(c.code);
    expect(r.stdout).toBe('');
    expect(hashTree(s.tracker.runDir)).toEqual(filesBefore);
  });
});
