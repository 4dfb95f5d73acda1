import { existsSync, readFileSync } from 'node:fs';
import { Tracker, SweepError, SweepItemError, type RunResult } from '../../../src/index';
import { Square, declareLocalStep } from '../../fixtures/sweeps/steps';
import { memoryLogger, tmpWorkspace, type Workspace } from '../../helpers/workspace';

jest.setTimeout(180_000);

const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : []);
const ok = (r: RunResult | SweepItemError): RunResult => {
  if (r instanceof SweepItemError) throw r;
  return r;
};

describe('tracker.map on local worker processes', () => {
  let ws: Workspace;
  let tracker: Tracker;
  beforeEach(async () => {
    ws = tmpWorkspace('consist-sweep-');
    tracker = await Tracker.open({ runDir: ws.path('runs'), logger: memoryLogger(), codeIdentity: 'class-source' }); // exclusive lock: workers are journal-only
  });
  afterEach(async () => {
    await tracker.close();
    ws.cleanup();
  });

  it('runs each distinct item once on workers, in item order, and findRuns sees them all', async () => {
    const log = ws.path('log.txt');
    const items = [1, 2, 3, 2].map((n) => ({ config: { n, log } }));
    const progress: number[] = [];
    const results = await tracker.map(Square, items, { executor: 'local', concurrency: 2, onProgress: (p) => progress.push(p.done) });
    const runs = results.map(ok);
    expect(runs.map((r) => r.run.config)).toEqual(items.map((i) => expect.objectContaining({ n: i.config.n })));
    expect(lines(log).map((l) => l.split(' ')[0]).sort()).toEqual(['1', '2', '3']); // the twin of 2 did not execute
    expect(runs[3].cacheHit).toBe(true);
    expect(new Set(lines(log).map((l) => l.split(' ')[1])).has(String(process.pid))).toBe(false); // executed on workers
    const table = await tracker.load(runs[2].outputs.result);
    expect(Number(table.toArray()[0].toJSON().square)).toBe(9);
    const found = await tracker.findRuns({ name: 'Square' });
    expect(found.filter((r) => !r.cacheHit)).toHaveLength(3);
    expect(progress[progress.length - 1]).toBe(4);

    // A second map: every item is a hit resolved by the submitter, nothing is submitted.
    const again = (await tracker.map(Square, items, { executor: 'local' })).map(ok);
    expect(again.every((r) => r.cacheHit)).toBe(true);
    expect(lines(log)).toHaveLength(3);
  });

  it('reports invalid items before submitting anything', async () => {
    const log = ws.path('log.txt');
    const items = [{ config: { n: 1, log } }, { config: { n: 'two' } }, 'oops'] as never[];
    const err = await tracker.map(Square, items, { executor: 'local' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SweepError);
    expect((err as SweepError).code).toBe('SWEEP_INVALID_ITEMS');
    expect(((err as SweepError).details.items as Array<{ index: number }>).map((i) => i.index)).toEqual([1, 2]);
    expect(existsSync(log)).toBe(false);
    expect(existsSync(ws.path('runs', '.consist', 'sweeps'))).toBe(false);
  });

  it('rejects a step a worker cannot import, before anything is submitted', async () => {
    const err = await tracker.map(declareLocalStep() as typeof Square, [{ config: {} }], { executor: 'local' }).catch((e: unknown) => e);
    expect((err as SweepError).code).toBe('STEP_NOT_IMPORTABLE');
    expect((err as Error).message).toMatch(/declareLocalStep|inside a function/);
  });

  it('returns a typed per-item failure with exit code and stderr tail; the other items complete', async () => {
    const results = await tracker.map(Square, [{ config: { n: 1 } }, { config: { n: 2, fail: 'boom on two' } }], { executor: 'local', concurrency: 2 });
    expect(ok(results[0]).run.status).toBe('completed');
    const failure = results[1] as SweepItemError;
    expect(failure).toBeInstanceOf(SweepItemError);
    expect(failure.code).toBe('SWEEP_ITEM_FAILED');
    expect(failure.exitCode).toBe(1);
    expect(failure.jobId).toMatch(/^pid:\d+$/);
    expect(failure.stderrTail.join('\n')).toContain('boom on two');
  });

  it('runs inline by default, with the same result shape', async () => {
    const results = (await tracker.map(Square, [{ config: { n: 4 } }, { config: { n: 4 } }])).map(ok);
    expect(results[0].cacheHit).toBe(false);
    expect(results[1].cacheHit).toBe(true);
  });
});
