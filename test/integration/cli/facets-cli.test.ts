/** `consist diff`, `consist artifacts --param`, `consist runs --facet` (API.md §11), spawned from dist. */
import { Tracker, type StepContext } from '../../../src/index';
import { memoryLogger, tmpWorkspace, type Workspace } from '../../helpers/workspace';
import { buildDist, consist, json, type CliResult } from './run-cli';

const errorCode = (r: CliResult) => /^error \[([A-Z_]+)\]/.exec(r.stderr)?.[1];

describe('consist diff / artifacts --param / runs --facet', () => {
  let ws: Workspace;
  let at: string[];
  beforeAll(async () => {
    buildDist();
    ws = tmpWorkspace();
    at = ['--run-dir', ws.path('runs')];
    const tracker = await Tracker.open({ runDir: ws.path('runs'), logger: memoryLogger(), codeIdentity: 'class-source' });
    try {
      for (const year of [2018, 2019]) {
        await tracker.run({
          name: 'beam', runId: `beam_${year}`, model: 'beam', year, config: { year, sample: 0.1 }, facetFrom: ['year'],
          fn: async (_in, ctx: StepContext) => {
            await ctx.logTable([{ link_id: 1 }], { key: 'linkstats_iter_0', facet: { year, iteration: 0 } });
          },
        });
      }
    } finally {
      await tracker.close();
    }
  }, 120_000);
  afterAll(() => ws.cleanup());

  it('consist diff shows changed config and facet keys (table and JSON); an unknown run is RUN_NOT_FOUND', () => {
    const table = consist(['diff', 'beam_2018', 'beam_2019', ...at], ws.dir);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/config\.year\s+2018\s+2019/);
    expect(table.stdout).toMatch(/facet\.year\s+2018\s+2019/);
    expect(table.stdout).not.toContain('sample');
    const all = json<{ changes: Record<string, { a: unknown; b: unknown }> }>(consist(['diff', 'beam_2018', 'beam_2019', '--all', '--prefix', 'config.', '--json', ...at], ws.dir));
    expect(all.changes).toEqual({ 'config.sample': { a: 0.1, b: 0.1 }, 'config.year': { a: 2018, b: 2019 } });
    const missing = consist(['diff', 'beam_2018', 'nope', ...at], ws.dir);
    expect(missing.code).not.toBe(0);
    expect(errorCode(missing)).toBe('RUN_NOT_FOUND');
  });

  it('consist artifacts --param [--namespace] selects by facets; malformed predicates are typed errors', () => {
    const found = json<Array<{ key: string; runId: string }>>(consist(['artifacts', '--param', 'year>=2019', '--namespace', 'beam', '--json', ...at], ws.dir));
    expect(found.map((a) => a.runId)).toEqual(['beam_2019']);
    expect(json<unknown[]>(consist(['artifacts', '--param', 'beam.iteration=0', '--json', ...at], ws.dir))).toHaveLength(2);
    expect(json<unknown[]>(consist(['artifacts', '--param', 'year=2018', '--namespace', 'asim', '--json', ...at], ws.dir))).toEqual([]);
    const table = consist(['artifacts', '--key-prefix', 'linkstats', ...at], ws.dir);
    expect(table.stdout).toContain('linkstats_iter_0');
    const bad = consist(['artifacts', '--param', 'year>=soon', ...at], ws.dir);
    expect(errorCode(bad)).toBe('FACET_PREDICATE_INVALID');
    expect(errorCode(consist(['artifacts', 'beam_2018', '--param', 'year=1', ...at], ws.dir))).toBe('CLI_USAGE');
    expect(errorCode(consist(['artifacts', ...at], ws.dir))).toBe('CLI_USAGE');
    expect(json<{ outputs: Record<string, unknown> }>(consist(['artifacts', 'beam_2018', '--json', ...at], ws.dir)).outputs).toHaveProperty('linkstats_iter_0');
  });

  it('consist runs --facet k=v [--namespace]', () => {
    const ids = (args: string[]) => json<Array<{ id: string }>>(consist(['runs', '--json', ...args, ...at], ws.dir)).map((r) => r.id);
    expect(ids(['--facet', 'year=2018'])).toEqual(['beam_2018']);
    expect(ids(['--facet', 'year=2018', '--namespace', 'beam'])).toEqual(['beam_2018']);
    expect(ids(['--facet', 'year=2018', '--namespace', 'asim'])).toEqual([]);
    expect(errorCode(consist(['runs', '--facet', 'year', ...at], ws.dir))).toBe('CLI_USAGE');
  });
});
