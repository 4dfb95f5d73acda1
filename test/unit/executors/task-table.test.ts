import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SweepError } from '../../../src/errors';
import { chooseItemsPerTask, itemProgress, planTasks, readTaskTable, startedMarker, writeTaskTable } from '../../../src/executors/task-table';

const job = (dir: string, index: number) => ({
  index, jobFile: path.join(dir, String(index), 'job.json'), stdoutPath: path.join(dir, String(index), 'out'), stderrPath: path.join(dir, String(index), 'err'),
});

describe('task table (packing sweep items into Slurm array tasks)', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'consist-task-table-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('chooses items per task from the item count and concurrency, or takes the given value', () => {
    expect(chooseItemsPerTask(10, 2)).toBe(5);
    expect(chooseItemsPerTask(10, 10)).toBe(1);
    expect(chooseItemsPerTask(1000, 1000)).toBe(16); // at most 64 tasks
    expect(chooseItemsPerTask(3, 8)).toBe(1);
    expect(chooseItemsPerTask(10, 2, 1)).toBe(1);
  });

  it('writes chunks in order and reads one task back', async () => {
    const jobs = [0, 1, 2, 3, 4].map((i) => job(dir, i * 10));
    const chunks = planTasks(jobs, 2);
    expect(chunks.map((c) => c.jobs.map((j) => j.index))).toEqual([[0, 10], [20, 30], [40]]);
    const table = path.join(dir, 'tasks.tsv');
    await writeTaskTable(table, chunks);
    expect(await readTaskTable(table, 1)).toEqual([jobs[2], jobs[3]]);
  });

  it('SWEEP_JOB_INVALID for a missing table or a task it does not list', async () => {
    const table = path.join(dir, 'tasks.tsv');
    await expect(readTaskTable(table, 0)).rejects.toMatchObject({ code: 'SWEEP_JOB_INVALID' });
    await writeTaskTable(table, planTasks([job(dir, 0)], 1));
    const err = await readTaskTable(table, 5).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SweepError);
    expect((err as SweepError).code).toBe('SWEEP_JOB_INVALID');
  });

  it('reads an item\'s progress from its started marker and result file', async () => {
    const j = job(dir, 0);
    expect(await itemProgress(j.jobFile)).toBeUndefined();
    mkdirSync(path.join(dir, '0'), { recursive: true });
    writeFileSync(startedMarker(j.jobFile), '1');
    expect(await itemProgress(j.jobFile)).toBe('started');
    writeFileSync(path.join(dir, '0', 'result.json'), JSON.stringify({ status: 'failed' }));
    expect(await itemProgress(j.jobFile)).toBe('failed');
    writeFileSync(path.join(dir, '0', 'result.json'), JSON.stringify({ status: 'completed', runId: 'r' }));
    expect(await itemProgress(j.jobFile)).toBe('completed');
  });
});
