import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Tracker, slurm, SweepError, SweepItemError, type RunResult } from '../../../src/index';
import { Square } from '../../fixtures/sweeps/steps';
import { describeWithSlurm } from '../../helpers/slurm';
import { memoryLogger, tmpWorkspace, type Workspace } from '../../helpers/workspace';

// The TIMEOUT test waits for a real 1-minute Slurm time limit (slurmctld checks limits every
// ~30 s: 60–95 s), so the budget is generous; nothing asserts on durations.
jest.setTimeout(420_000);

const ok = (r: RunResult | SweepItemError): RunResult => {
  if (r instanceof SweepItemError) throw r;
  return r;
};
const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : []);
/** `n pid` lines of Square's log → pid of each n (the worker process that ran it). */
const pidsByN = (file: string) => new Map(lines(file).map((l) => l.split(' ')).map(([n, pid]) => [Number(n), pid]));

describeWithSlurm('tracker.map on Slurm with several items per array task', () => {
  let ws: Workspace;
  let tracker: Tracker;
  beforeEach(async () => {
    ws = tmpWorkspace('consist-slurm-packed-');
    tracker = await Tracker.open({ runDir: ws.path('runs'), logger: memoryLogger(), codeIdentity: 'class-source', lockMode: 'shared' });
  });
  afterEach(async () => {
    await tracker.close();
    ws.cleanup();
  });

  it('packs items into tasks: one worker process per task, per-item results, logs and job ids', async () => {
    const log = ws.path('log.txt');
    const items = [1, 2, 3, 4, 5].map((n) => ({ config: { n, log } }));
    const results = (await tracker.map(Square, items, { executor: slurm({ itemsPerTask: 2 }) })).map(ok);
    expect(results.map((r) => r.cacheHit)).toEqual([false, false, false, false, false]);
    expect((await tracker.findRuns({ name: 'Square', status: 'completed' })).length).toBe(5);
    const pids = pidsByN(log);
    expect(pids.get(1)).toBe(pids.get(2)); // task 0 = items 0, 1 in one process
    expect(pids.get(3)).toBe(pids.get(4)); // task 1 = items 2, 3
    expect(new Set(pids.values()).size).toBe(3);

    const sweepDir = ws.path('runs', '.consist', 'sweeps', readdirSync(ws.path('runs', '.consist', 'sweeps'))[0]);
    const status = JSON.parse(readFileSync(path.join(sweepDir, 'status.json'), 'utf8')) as { items: Array<{ jobId: string; state: string }> };
    const [arrayId] = status.items[0].jobId.split('_');
    expect(status.items.map((i) => i.jobId)).toEqual([0, 0, 1, 1, 2].map((t) => `${arrayId}_${t}`));
    expect(status.items.every((i) => i.state === 'done')).toBe(true);
    for (const i of [0, 1, 2, 3, 4]) expect(existsSync(path.join(sweepDir, 'items', String(i), 'stderr.log'))).toBe(true);
  });

  it('a failing item fails alone: the rest of its task runs; the step error is reported (array: false, one sbatch per task)', async () => {
    const items = [{ config: { n: 1 } }, { config: { n: 2, fail: 'boom in 2' } }, { config: { n: 3 } }];
    const results = await tracker.map(Square, items, { executor: slurm({ itemsPerTask: 3, array: false }) });
    expect(ok(results[0]).run.status).toBe('completed');
    expect(ok(results[2]).run.status).toBe('completed');
    const failure = results[1] as SweepItemError;
    expect(failure).toBeInstanceOf(SweepItemError);
    expect(failure.code).toBe('SWEEP_ITEM_FAILED');
    expect(failure.reason).toBe('failed');
    expect(failure.error?.message).toMatch(/boom in 2/);
    expect(failure.stderrTail.join('\n')).toMatch(/boom in 2/);
  });

  it('rejects a bad itemsPerTask before anything is submitted', () => {
    const err = (() => { try { slurm({ itemsPerTask: 0 }); } catch (e) { return e; } return undefined; })();
    expect(err).toBeInstanceOf(SweepError);
    expect((err as SweepError).code).toBe('SWEEP_INVALID_OPTIONS');
  });

  it('a task that hits its time limit: the running item is reported TIMEOUT with job id and stderr tail, never a hit; a re-map runs only what is missing', async () => {
    const log = ws.path('log.txt');
    const gate = ws.path('gate'); // never created during the first map: item n=2 runs past the limit
    const items = [{ config: { n: 1, log } }, { config: { n: 2, log, waitFor: gate } }, { config: { n: 3, log } }, { config: { n: 4, log } }];
    // task 0 = n 1, 2, 3 (3 is never reached); task 1 = n 4
    const results = await tracker.map(Square, items, { executor: slurm({ timeLimit: '00:01:00', itemsPerTask: 3 }) });
    expect(ok(results[0]).run.status).toBe('completed');
    expect(ok(results[3]).run.status).toBe('completed');
    const timedOut = results[1] as SweepItemError;
    expect(timedOut).toBeInstanceOf(SweepItemError);
    expect(timedOut.reason).toBe('timeout');
    expect(timedOut.jobId).toMatch(/^\d+_0$/);
    expect(timedOut.stderrTail.join('\n')).toMatch(/SIGTERM while running sweep item 1/);
    const unreached = results[2] as SweepItemError;
    expect(unreached.reason).toBe('timeout');
    expect(unreached.jobId).toBe(timedOut.jobId);
    const completed = await tracker.findRuns({ name: 'Square', status: 'completed' });
    expect(completed.map((r) => (r.config as { n: number }).n).sort()).toEqual([1, 4]);

    writeFileSync(gate, '');
    const again = (await tracker.map(Square, items, { executor: slurm({ timeLimit: '00:05:00' }) })).map(ok);
    expect(again.map((r) => r.cacheHit)).toEqual([true, false, false, true]);
    expect(lines(log).map((l) => l.split(' ')[0]).sort()).toEqual(['1', '2', '2', '3', '4']); // 2 cut once, then run
  });
});
