import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SweepError } from '../errors';
import type { WorkerJob } from './executor';

/**
 * Packing sweep items into batch tasks (a Slurm array task runs one worker process that works
 * through a chunk of items in order), and the files that tell a submitter how far a chunk got.
 * A task costs a node start, module loading and a tracker open (seconds on a loaded node); a
 * chunk pays that once for all its items.
 */

/** A chunk: the array task number and its items, in the order the worker runs them. */
export interface TaskChunk { task: number; jobs: WorkerJob[] }

/** Default most array tasks of one sweep when `itemsPerTask` is not given. */
export const TARGET_ARRAY_TASKS = 64;

/**
 * Items per task: `itemsPerTask` when given, else enough to keep the array at most
 * `min(concurrency, TARGET_ARRAY_TASKS)` tasks (more tasks than can run at once only add starts).
 */
export function chooseItemsPerTask(items: number, concurrency: number, itemsPerTask?: number): number {
  if (itemsPerTask !== undefined) return itemsPerTask;
  const tasks = Math.max(1, Math.min(concurrency, TARGET_ARRAY_TASKS, items));
  return Math.max(1, Math.ceil(items / tasks));
}

/** Splits jobs (in order) into chunks of `perTask`; task numbers are 0, 1, 2 … */
export function planTasks(jobs: readonly WorkerJob[], perTask: number): TaskChunk[] {
  const chunks: TaskChunk[] = [];
  for (let i = 0; i < jobs.length; i += perTask) chunks.push({ task: chunks.length, jobs: jobs.slice(i, i + perTask) });
  return chunks;
}

/** Writes the task table: one line per item, `task \t index \t jobFile \t stdout \t stderr`. */
export async function writeTaskTable(file: string, chunks: readonly TaskChunk[]): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const lines = chunks.flatMap((c) => c.jobs.map((j) => `${c.task}\t${j.index}\t${j.jobFile}\t${j.stdoutPath}\t${j.stderrPath}\n`));
  await fs.writeFile(file, lines.join(''));
}

/** The items of `task` in a task table, in order; `SWEEP_JOB_INVALID` when the table is unreadable or has none. */
export async function readTaskTable(file: string, task: number): Promise<WorkerJob[]> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    throw SweepError.jobInvalid(file, (err as Error).message);
  }
  const jobs = text.split('\n').map((l) => l.split('\t')).filter((f) => f.length === 5 && Number(f[0]) === task)
    .map(([, index, jobFile, stdoutPath, stderrPath]) => ({ index: Number(index), jobFile, stdoutPath, stderrPath }));
  if (!jobs.length) throw SweepError.jobInvalid(file, `it lists no items for task ${task}`);
  return jobs;
}

/** The marker a chunk worker writes when it starts an item (so a cut task tells started from never reached). */
export const startedMarker = (jobFile: string): string => `${jobFile}.started`;

/** The result file a worker writes next to its job file when an item ends normally. */
export const resultFileOf = (jobFile: string): string => path.join(path.dirname(jobFile), 'result.json');

/** How far one item got: `undefined` = not started, `'started'`, or its end from `result.json`. */
export type ItemProgress = undefined | 'started' | 'completed' | 'failed';

/** Reads an item's progress from its result file and started marker. */
export async function itemProgress(jobFile: string): Promise<ItemProgress> {
  try {
    const r = JSON.parse(await fs.readFile(resultFileOf(jobFile), 'utf8')) as { status?: string };
    return r.status === 'completed' ? 'completed' : 'failed';
  } catch {
    try {
      await fs.access(startedMarker(jobFile));
      return 'started';
    } catch {
      return undefined;
    }
  }
}
