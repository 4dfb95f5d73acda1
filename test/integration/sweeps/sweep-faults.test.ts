import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Tracker, SweepItemError, type RunResult } from '../../../src/index';
import { Square } from '../../fixtures/sweeps/steps';
import { waitFor as poll } from '../../helpers/wait-for';
import { memoryLogger, tmpWorkspace, type Workspace } from '../../helpers/workspace';

jest.setTimeout(400_000);

const ok = (r: RunResult | SweepItemError): RunResult => {
  if (r instanceof SweepItemError) throw r;
  return r;
};
const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : []);
const executedNs = (file: string) => lines(file).map((l) => Number(l.split(' ')[0])).sort();

const waitFor = <T>(check: () => T | undefined, what: string, deadlineMs = 300_000): Promise<T> => poll(check, what, deadlineMs);

describe('sweep faults on local workers', () => {
  let ws: Workspace;
  let tracker: Tracker;
  beforeEach(async () => {
    ws = tmpWorkspace('consist-sweep-faults-');
    tracker = await Tracker.open({ runDir: ws.path('runs'), logger: memoryLogger(), codeIdentity: 'class-source', lockMode: 'shared' });
  });
  afterEach(async () => {
    await tracker.close();
    ws.cleanup();
  });

  it('a worker SIGKILLed mid-step leaves no servable run; the item is reported; a re-map runs only it', async () => {
    const log = ws.path('log.txt');
    const started = ws.path('started');
    const gate = ws.path('gate');
    const items = [{ config: { n: 1, log } }, { config: { n: 2, log, started, waitFor: gate } }];
    const mapping = tracker.map(Square, items, { executor: 'local', concurrency: 2 });
    const pid = await waitFor(() => (existsSync(`${started}.2`) ? Number(readFileSync(`${started}.2`, 'utf8')) : undefined), 'item 2 to start');
    process.kill(pid, 'SIGKILL');
    const results = await mapping;
    expect(ok(results[0]).cacheHit).toBe(false);
    const failure = results[1] as SweepItemError;
    expect(failure).toBeInstanceOf(SweepItemError);
    expect(failure.reason).toBe('killed');
    expect(failure.signal).toBe('SIGKILL');
    expect(failure.jobId).toBe(`pid:${pid}`);
    const completed = await tracker.findRuns({ name: 'Square', status: 'completed' });
    expect(completed.map((r) => (r.config as { n: number }).n)).toEqual([1]);

    writeFileSync(gate, '');
    const again = (await tracker.map(Square, items, { executor: 'local', concurrency: 2 })).map(ok);
    expect(again.map((r) => r.cacheHit)).toEqual([true, false]);
    expect(executedNs(log)).toEqual([1, 2, 2]);
  });

  it('one pooled worker killed with a job sent ahead: only its running item fails; a fresh worker runs the rest', async () => {
    const log = ws.path('log.txt');
    const started = ws.path('started');
    const gate = ws.path('gate');
    const items = [{ config: { n: 1, log } }, { config: { n: 2, log, started, waitFor: gate } }, { config: { n: 3, log } }, { config: { n: 4, log } }];
    const mapping = tracker.map(Square, items, { executor: 'local', concurrency: 1 });
    const pid = await waitFor(() => (existsSync(`${started}.2`) ? Number(readFileSync(`${started}.2`, 'utf8')) : undefined), 'item 2 to start');
    process.kill(pid, 'SIGKILL'); // item 3 was already sent to this worker, not started
    const results = await mapping;
    const failure = results[1] as SweepItemError;
    expect(failure).toBeInstanceOf(SweepItemError);
    expect(failure.reason).toBe('killed');
    expect(failure.jobId).toBe(`pid:${pid}`);
    expect([results[0], results[2], results[3]].map((r) => ok(r).run.status)).toEqual(['completed', 'completed', 'completed']);
    const pids = new Map(lines(log).map((l) => l.split(' ')).map(([n, p]) => [Number(n), Number(p)]));
    expect(pids.get(1)).toBe(pid);
    expect(pids.get(3)).not.toBe(pid); // the replacement worker
    expect(pids.get(4)).toBe(pids.get(3));
    expect(executedNs(log)).toEqual([1, 2, 3, 4]);
  });

  it('a submitter killed mid-sweep: a re-run takes finished items as hits and executes nothing twice', async () => {
    const log = ws.path('log.txt');
    const started = ws.path('started');
    const gate = ws.path('gate');
    const items = [{ config: { n: 1, log } }, { config: { n: 2, log, started, waitFor: gate } }];
    const itemsFile = ws.file('items.json', JSON.stringify(items));
    const root = path.resolve(__dirname, '..', '..', '..');
    const submitter = spawn(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'),
      path.join(root, 'test', 'fixtures', 'sweeps', 'submit.ts'), ws.path('runs'), itemsFile],
    { cwd: root, env: { ...process.env, TS_NODE_PROJECT: path.join(root, 'tsconfig.json') }, stdio: 'ignore' });
    const exited = new Promise((r) => submitter.on('exit', r));
    const sweeps = ws.path('runs', '.consist', 'sweeps');
    // Item 1 finished (its result written) and item 2 is running: kill the submitter.
    await waitFor(() => (existsSync(`${started}.2`) && existsSync(sweeps) && readdirSync(sweeps).some((id) =>
      existsSync(path.join(sweeps, id, 'items', '0', 'result.json'))) ? true : undefined), 'item 1 done and item 2 running');
    submitter.kill('SIGKILL');
    await exited;

    // The orphaned worker of item 2 still holds its lease; our re-run waits for it, then takes its run as a hit.
    const rerun = tracker.map(Square, items, { executor: 'local', concurrency: 2 });
    await waitFor(() => {
      const ids = readdirSync(sweeps);
      return ids.length === 2 ? true : undefined;
    }, 'the re-run sweep to start');
    writeFileSync(gate, '');
    const results = (await rerun).map(ok);
    expect(results[0].cacheHit).toBe(true);
    expect(executedNs(log)).toEqual([1, 2]); // nothing executed twice
    expect((await tracker.findRuns({ name: 'Square', status: 'completed' })).filter((r) => !r.cacheHit)).toHaveLength(2);
  });
});
