import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { applyOverrides, DEFAULT_SIZES, QUICK_SIZES } from '../../bench/context';
import {
  buildReport, compare, formatMarkdown, formatTable, parseTarget, percentile, roundMedians, summarize, timePair, writeReport, fullGc,
  type BenchReport,
} from '../../bench/harness';
import { ingestionBench } from '../../bench/ingestion';
import { BENCHES, parseArgs, runBenches } from '../../bench/main';
import { tmpWorkspace, type Workspace } from '../helpers/workspace';

// Shape and arithmetic only: nothing here asserts how fast anything is.
describe('bench harness', () => {
  let ws: Workspace;
  beforeEach(() => { ws = tmpWorkspace('consist-bench-'); });
  afterEach(() => ws.cleanup());

  it('computes medians and p95 by linear interpolation', () => {
    expect(percentile([5, 1, 3], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile(Array.from({ length: 21 }, (_, i) => i), 95)).toBe(19);
    expect(percentile([], 50)).toBeNaN();
    const t = summarize([10, 30, 20]);
    expect(t).toEqual({ median: 20, p95: 29, samples: [10, 30, 20] });
  });

  it('turns synthetic timings into time and throughput rows', () => {
    const time = compare('t', summarize([20, 20, 20]), summarize([10, 10, 10]), '<= 2');
    expect(time).toMatchObject({ name: 't', ours: 20, floor: 10, unit: 'ms', ratio: 2, target: '<= 2', pass: true, reps: 3 });
    const slow = compare('t', summarize([30]), summarize([10]), '<= 2');
    expect(slow.pass).toBe(false);
    // 1000 rows in 500 ms = 2000 rows/s against 1000 rows in 250 ms = 4000 rows/s.
    const tp = compare('ingest', summarize([500]), summarize([250]), '>= 0.8', { throughputAmount: 1000, unit: 'rows/s' });
    expect(tp).toMatchObject({ ours: 2000, floor: 4000, unit: 'rows/s', ratio: 0.5, pass: false });
    expect(parseTarget('>= 0.9')).toEqual({ op: '>=', value: 0.9 });
    expect(() => parseTarget('about 2')).toThrow();
  });

  it('passes on the median of per-round ratios and reports their spread', async () => {
    expect(roundMedians([1, 2, 3, 4, 5, 6, 7], 3)).toEqual([1.5, 3.5, 6]);
    // Rounds of ours/floor: 2/1, 3/1, 2/1, 9/1 (one noisy round), 2/1 → median 2, spread 2–9.
    const ours = { ...summarize([2, 3, 2, 9, 2]), rounds: [2, 3, 2, 9, 2] };
    const floor = { ...summarize([1, 1, 1, 1, 1]), rounds: [1, 1, 1, 1, 1] };
    const row = compare('noisy', ours, floor, '<= 2.5');
    expect(row).toMatchObject({ ratio: 2, ratioMin: 2, ratioMax: 9, rounds: 5, pass: true });
    expect(formatTable([row])).toContain('2–9');
    const calls: string[] = [];
    const t = await timePair(() => { calls.push('o'); }, () => { calls.push('f'); }, { warmup: 1, reps: 7 });
    expect(calls.join('')).toBe('of' + 'of' + 'fo' + 'of' + 'fo' + 'of' + 'fo' + 'of'); // warm-up, then ABBA
    expect(t.ours.samples).toHaveLength(7);
    expect(t.ours.rounds).toHaveLength(5);
    expect(t.floor.rounds).toHaveLength(5);
    const settled: string[] = [];
    await timePair(() => { settled.push('o'); }, () => { settled.push('f'); }, { warmup: 1, reps: 2, settle: () => settled.push('s') });
    expect(settled.join('')).toBe('of' + 'so' + 'sf' + 'sf' + 'so'); // settled before every timed call, not warm-up
    expect(() => fullGc()).not.toThrow();
  });

  it('formats tables and writes the report JSON', async () => {
    const rows = [compare('a', summarize([2]), summarize([1]), '<= 4'), compare('b', summarize([9]), summarize([1]), '<= 4')];
    const text = formatTable(rows);
    expect(text.split('\n')).toHaveLength(4);
    expect(text).toContain('NO');
    expect(formatMarkdown(rows)).toContain('| a |');
    const file = ws.path('results', 'latest.json');
    await writeReport(file, buildReport(rows, true));
    const report = JSON.parse(await fs.readFile(file, 'utf8')) as BenchReport;
    expect(report.machine.nproc).toBeGreaterThan(0);
    expect(Number.isNaN(Date.parse(report.date))).toBe(false);
    expect(report.results.map((r) => r.name)).toEqual(['a', 'b']);
  });

  it('parses arguments and size overrides', () => {
    const args = parseArgs(['--quick', '--only', 'hashing,ingestion', '--set', 'hashing.mib=8', '--out', 'x.json']);
    expect(args).toMatchObject({ quick: true, only: ['hashing', 'ingestion'], sets: ['hashing.mib=8'], out: path.resolve('x.json') });
    expect(applyOverrides(QUICK_SIZES, args.sets)['hashing.mib']).toBe(8);
    expect(() => applyOverrides(DEFAULT_SIZES, ['nope=1'])).toThrow(/--set nope=1/);
    expect(() => parseArgs(['--bogus'])).toThrow(/unknown argument/);
    expect(BENCHES.map((b) => b.name)).toEqual(expect.arrayContaining(['cache-hit', 'hashing', 'cli-startup']));
  });

  it('runs the ingestion bench end to end at a minimal size', async () => {
    const args = { ...parseArgs([]), workRoot: ws.path('work'), sets: ['ingestion.rows=3000', 'ingestion.reps=2', 'warmup=0'] };
    const results = await runBenches([ingestionBench], args);
    expect(results).toHaveLength(1);
    const [r] = results;
    expect(r.name).toMatch(/^ingestion 3,000 rows$/);
    expect(r).toMatchObject({ unit: 'rows/s', target: '>= 0.8', reps: 2 });
    for (const n of [r.ours, r.floor, r.ratio, r.oursP95, r.floorP95]) expect(n).toBeGreaterThan(0);
    expect(typeof r.pass).toBe('boolean');
    await expect(fs.access(ws.path('work', 'ingestion'))).rejects.toThrow(); // scratch folder removed
  }, 120_000);
});
