import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SweepError } from '../errors';
import type { ExecutorContext, SweepExecutor, WorkerJob } from './executor';
import { sbatch, scancel } from './slurm-commands';
import { SlurmWatch, type SubmittedTask } from './slurm-watch';
import { chooseItemsPerTask, planTasks, writeTaskTable, type TaskChunk } from './task-table';

/** Options of {@link slurm}: each maps to one `sbatch` option. */
export interface SlurmOptions {
  partition?: string;
  /** `--time`, e.g. `'00:30:00'`. */
  timeLimit?: string;
  cpusPerTask?: number;
  /** `--mem`, e.g. `'8G'`. */
  memory?: string;
  account?: string;
  qos?: string;
  /** One `sbatch --array` for the whole sweep (default) or one `sbatch` per task. */
  array?: boolean;
  /**
   * Items one array task works through, one after the other, in one worker process (so the node
   * start, module loading and tracker open are paid once per task). Default: enough to keep the
   * array at `min(concurrency, 64)` tasks. Use 1 for long items that should each get their own task.
   */
  itemsPerTask?: number;
  /** More `sbatch` arguments, passed as given. */
  extraArgs?: readonly string[];
  /**
   * Longest interval between `squeue` polls: the interval starts at 250 ms and doubles while no
   * task ends, up to this. Items' results are read from their files every 0.25–2 s. Default 5000 ms.
   */
  pollMs?: number;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function assertOptions(o: SlurmOptions): void {
  if (typeof o !== 'object' || o === null) throw SweepError.invalidOption('slurm', o, 'an options object');
  for (const k of ['partition', 'timeLimit', 'memory', 'account', 'qos'] as const) {
    if (o[k] !== undefined && (typeof o[k] !== 'string' || !o[k])) throw SweepError.invalidOption(`slurm.${k}`, o[k], 'a non-empty string');
  }
  if (o.cpusPerTask !== undefined && !(Number.isInteger(o.cpusPerTask) && o.cpusPerTask > 0)) {
    throw SweepError.invalidOption('slurm.cpusPerTask', o.cpusPerTask, 'a positive integer');
  }
  for (const k of ['itemsPerTask', 'pollMs'] as const) {
    if (o[k] !== undefined && !(Number.isInteger(o[k]) && (o[k] as number) > 0)) throw SweepError.invalidOption(`slurm.${k}`, o[k], 'a positive integer');
  }
  if (o.extraArgs !== undefined && (!Array.isArray(o.extraArgs) || o.extraArgs.some((a) => typeof a !== 'string'))) {
    throw SweepError.invalidOption('slurm.extraArgs', o.extraArgs, 'an array of strings');
  }
}

/**
 * Runs a sweep's items as Slurm jobs: items packed `itemsPerTask` to an array task, one
 * `sbatch --array` (or one `sbatch` per task), each item's end read from its result file, task
 * states from `squeue -r -t all` (no accounting DB needed), exit codes from `scontrol show job`,
 * `scancel` on abort. The job environment is written into the batch script and submitted with
 * `--export=NONE`, so nothing else leaks in. Each item's stdout/stderr go to its log files; the
 * worker's own output also to `slurm/<job>_<task>.out`.
 */
export class SlurmExecutor implements SweepExecutor {
  readonly kind = 'slurm';
  readonly remote = true;

  constructor(readonly options: SlurmOptions = {}) {
    assertOptions(options);
  }

  private sbatchOptions(ctx: ExecutorContext): string[] {
    const o = this.options;
    const name = `consist-${path.basename(ctx.sweepDir)}`;
    return [
      '-J', name, '-D', ctx.cwd, '--export=NONE',
      ...(o.partition ? ['-p', o.partition] : []), ...(o.timeLimit ? ['-t', o.timeLimit] : []),
      ...(o.cpusPerTask ? ['-c', String(o.cpusPerTask)] : []), ...(o.memory ? [`--mem=${o.memory}`] : []),
      ...(o.account ? ['-A', o.account] : []), ...(o.qos ? ['-q', o.qos] : []), ...(o.extraArgs ?? []),
    ];
  }

  /** The batch script: exports the env and runs one worker over this task's chunk of the task table. */
  private async writeScript(chunks: readonly TaskChunk[], ctx: ExecutorContext): Promise<string> {
    const dir = path.join(ctx.sweepDir, 'slurm');
    const stamp = `${Date.now()}-${process.pid}`;
    const table = path.join(dir, `tasks-${stamp}.tsv`);
    await writeTaskTable(table, chunks);
    const script = path.join(dir, `job-${stamp}.sh`);
    const lines = [
      '#!/bin/bash', '# Written by consist tracker.map: each array task runs one worker over its chunk of sweep items.',
      ...Object.entries(ctx.env).filter(([k]) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k)).map(([k, v]) => `export ${k}=${quote(v)}`),
      'TASK="${SLURM_ARRAY_TASK_ID:-$1}"',
      `exec ${ctx.workerArgv.map(quote).join(' ')} worker --tasks ${quote(table)} --task "$TASK"`,
    ];
    await fs.writeFile(script, `${lines.join('\n')}\n`, { mode: 0o755 });
    return script;
  }

  /** Submits the chunks: one `sbatch --array` (default) or one `sbatch` per chunk (all cancelled if one is refused). */
  private async submit(chunks: readonly TaskChunk[], ctx: ExecutorContext): Promise<SubmittedTask[]> {
    const script = await this.writeScript(chunks, ctx);
    const logs = path.join(ctx.sweepDir, 'slurm');
    const common = this.sbatchOptions(ctx);
    const at = (chunk: TaskChunk, taskId: string, queryId: string): SubmittedTask => ({ chunk, taskId, queryId, next: 0, ended: false });
    if (this.options.array !== false) {
      const list = `0-${chunks.length - 1}%${Math.max(1, Math.min(ctx.concurrency, chunks.length))}`;
      const log = path.join(logs, '%A_%a.out');
      const id = await sbatch([...common, `--array=${list}`, '-o', log, '-e', log, script]);
      return chunks.map((c) => at(c, `${id}_${c.task}`, id));
    }
    const submitted: SubmittedTask[] = [];
    for (const c of chunks) {
      try {
        const id = await sbatch([...common, '-o', path.join(logs, '%j.out'), '-e', path.join(logs, '%j.out'), script, String(c.task)]);
        submitted.push(at(c, id, id));
      } catch (err) {
        for (const s of submitted) await scancel(s.queryId); // nothing half-submitted
        throw err;
      }
    }
    return submitted;
  }

  async run(jobs: readonly WorkerJob[], ctx: ExecutorContext): Promise<void> {
    if (!jobs.length) return;
    const chunks = planTasks(jobs, chooseItemsPerTask(jobs.length, ctx.concurrency, this.options.itemsPerTask));
    const tasks = await this.submit(chunks, ctx);
    await new SlurmWatch(tasks, ctx, { fastMs: 250, maxFileMs: 2_000, maxSqueueMs: this.options.pollMs ?? 5_000, giveUpMs: 60_000 }).run();
  }
}

/** The Slurm executor of `tracker.map` (API.md §13): `executor: slurm({ partition, timeLimit, … })`. */
export function slurm(options: SlurmOptions = {}): SlurmExecutor {
  return new SlurmExecutor(options);
}
