import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Tracker, slurm, SweepError, SweepItemError, type RunResult } from '../../../src/index';
import { Square } from '../../fixtures/sweeps/steps';
import { describeWithSlurm, testSlurmConf } from '../../helpers/slurm';
import { waitFor as poll } from '../../helpers/wait-for';
import { memoryLogger, tmpWorkspace, type Workspace } from '../../helpers/workspace';

jest.setTimeout(300_000);

const ok = (r: RunResult | SweepItemError): RunResult => {
  if (r instanceof SweepItemError) throw r;
  return r;
};
const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : []);

const waitFor = <T>(check: () => T | undefined, what: string, deadlineMs = 240_000): Promise<T> => poll(check, what, deadlineMs);

describeWithSlurm('tracker.map on a real Slurm cluster', () => {
  let ws: Workspace;
  let tracker: Tracker;
  let logger: ReturnType<typeof memoryLogger>;
  beforeEach(async () => {
    ws = tmpWorkspace('consist-slurm-sweep-');
    logger = memoryLogger();
    tracker = await Tracker.open({ runDir: ws.path('runs'), logger, codeIdentity: 'class-source', lockMode: 'shared' });
  });
  afterEach(async () => {
    await tracker.close();
    ws.cleanup();
  });

  it('runs items as one job array, logs per item under the sweep folder, warns about a node-local runs folder', async () => {
    const log = ws.path('log.txt');
    const results = (await tracker.map(Square, [{ config: { n: 5, log } }, { config: { n: 6, log } }], { executor: slurm({ array: true, timeLimit: '00:10:00' }) })).map(ok);
    expect(results.map((r) => r.run.status)).toEqual(['completed', 'completed']);
    expect(lines(log)).toHaveLength(2);
    expect((await tracker.findRuns({ name: 'Square' })).length).toBe(2);
    const sweeps = readdirSync(ws.path('runs', '.consist', 'sweeps'));
    const items = ws.path('runs', '.consist', 'sweeps', sweeps[0], 'items');
    expect(existsSync(path.join(items, '0', 'stderr.log')) && existsSync(path.join(items, '1', 'stdout.log'))).toBe(true);
    expect(logger.warnings.join('\n')).toMatch(/node-local/);
  });

  it('surfaces an option sbatch rejects as a typed error with its stderr; nothing submitted', async () => {
    const err = await tracker.map(Square, [{ config: { n: 1 } }], { executor: slurm({ partition: 'no-such-partition' }) }).catch((e: unknown) => e);
    expect((err as SweepError).code).toBe('SLURM_SUBMIT_REJECTED');
    expect(String((err as SweepError).details.stderr)).toMatch(/partition/i);
    expect(await tracker.findRuns({ name: 'Square' })).toHaveLength(0);
  });

  it('fails with SLURM_UNAVAILABLE when the controller does not answer; nothing submitted', async () => {
    const dead = ws.file('dead.conf', readFileSync(testSlurmConf(), 'utf8').replace(/^SlurmctldPort=.*$/m, 'SlurmctldPort=6899'));
    const saved = process.env.SLURM_CONF;
    process.env.SLURM_CONF = dead;
    try {
      const err = await tracker.map(Square, [{ config: { n: 1 } }], { executor: slurm() }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SweepError);
      expect((err as SweepError).code).toBe('SLURM_UNAVAILABLE');
    } finally {
      process.env.SLURM_CONF = saved;
    }
    expect(await tracker.findRuns({ name: 'Square' })).toHaveLength(0);
  });

  it('reports a job cancelled from outside with its job id; a re-map submits only that item', async () => {
    const log = ws.path('log.txt');
    const started = ws.path('started');
    const gate = ws.path('gate');
    const items = [{ config: { n: 1, log } }, { config: { n: 2, log, started, waitFor: gate } }];
    const sweepsDir = ws.path('runs', '.consist', 'sweeps');
    const mapping = tracker.map(Square, items, { executor: slurm() });
    await waitFor(() => (existsSync(`${started}.2`) ? true : undefined), 'item 2 to start');
    const jobId = await waitFor(() => {
      const id = readdirSync(sweepsDir)[0];
      const status = JSON.parse(readFileSync(path.join(sweepsDir, id, 'status.json'), 'utf8')) as { items: Array<{ jobId?: string }> };
      return status.items[1].jobId ?? undefined;
    }, 'the job id of item 2');
    expect(spawnSync('scancel', [jobId]).status).toBe(0);
    const results = await mapping;
    expect(ok(results[0]).run.status).toBe('completed');
    const failure = results[1] as SweepItemError;
    expect(failure).toBeInstanceOf(SweepItemError);
    expect(failure.reason).toBe('cancelled');
    expect(failure.jobId).toBe(jobId);
    expect((await tracker.findRuns({ name: 'Square', status: 'completed' })).filter((r) => (r.config as { n: number }).n === 2)).toHaveLength(0);

    writeFileSync(gate, '');
    const again = (await tracker.map(Square, items, { executor: slurm() })).map(ok);
    expect(again.map((r) => r.cacheHit)).toEqual([true, false]);
    expect(lines(log).map((l) => l.split(' ')[0]).sort()).toEqual(['1', '2', '2']); // 1 once; 2 cancelled once, then run
  });
});
