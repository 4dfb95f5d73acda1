import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SweepError } from '../errors';
import type { ExecutorContext, JobEndState, SweepExecutor, WorkerJob } from './executor';
import { exitCodeOf, sbatch, scancel, squeueTasks, type TaskState } from './slurm-commands';

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
  /** One `sbatch --array` for the whole sweep (default) or one `sbatch` per item. */
  array?: boolean;
  /** More `sbatch` arguments, passed as given. */
  extraArgs?: readonly string[];
  /** How often job states are polled with `squeue`. Default 500 ms. */
  pollMs?: number;
}

const TERMINAL: Record<string, JobEndState> = {
  COMPLETED: 'completed', FAILED: 'failed', CANCELLED: 'cancelled', TIMEOUT: 'timeout', DEADLINE: 'timeout',
  NODE_FAIL: 'lost', BOOT_FAIL: 'lost', OUT_OF_MEMORY: 'killed', PREEMPTED: 'cancelled', REVOKED: 'cancelled',
};
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function assertOptions(o: SlurmOptions): void {
  if (typeof o !== 'object' || o === null) throw SweepError.invalidOption('slurm', o, 'an options object');
  for (const k of ['partition', 'timeLimit', 'memory', 'account', 'qos'] as const) {
    if (o[k] !== undefined && (typeof o[k] !== 'string' || !o[k])) throw SweepError.invalidOption(`slurm.${k}`, o[k], 'a non-empty string');
  }
  if (o.cpusPerTask !== undefined && !(Number.isInteger(o.cpusPerTask) && o.cpusPerTask > 0)) {
    throw SweepError.invalidOption('slurm.cpusPerTask', o.cpusPerTask, 'a positive integer');
  }
  if (o.extraArgs !== undefined && (!Array.isArray(o.extraArgs) || o.extraArgs.some((a) => typeof a !== 'string'))) {
    throw SweepError.invalidOption('slurm.extraArgs', o.extraArgs, 'an array of strings');
  }
}

/**
 * Runs a sweep's items as Slurm jobs: one `sbatch --array` (or one `sbatch` per item), states
 * from `squeue -r -t all` (no accounting DB needed), exit codes from `scontrol show job`,
 * `scancel` on abort. The job environment is written into the batch script and submitted with
 * `--export=NONE`, so nothing else leaks in. Worker stdout/stderr go to the items' log files.
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

  /** The batch script: exports the env, finds this task's job file and log paths, runs the worker. */
  private async writeScript(jobs: readonly WorkerJob[], ctx: ExecutorContext): Promise<string> {
    const dir = path.join(ctx.sweepDir, 'slurm');
    await fs.mkdir(dir, { recursive: true });
    const table = path.join(dir, `tasks-${Date.now()}.tsv`);
    await fs.writeFile(table, jobs.map((j) => `${j.index}\t${j.jobFile}\t${j.stdoutPath}\t${j.stderrPath}\n`).join(''));
    const script = path.join(dir, `job-${Date.now()}.sh`);
    const lines = [
      '#!/bin/bash', '# Written by consist tracker.map: one sweep item per array task.',
      ...Object.entries(ctx.env).filter(([k]) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k)).map(([k, v]) => `export ${k}=${quote(v)}`),
      'TASK="${SLURM_ARRAY_TASK_ID:-$1}"',
      `IFS=$'\\t' read -r _ JOB OUT ERR < <(awk -F'\\t' -v t="$TASK" '$1 == t' ${quote(table)})`,
      '[ -n "$JOB" ] || { echo "consist: no job for task $TASK" >&2; exit 97; }',
      `exec ${ctx.workerArgv.map(quote).join(' ')} worker "$JOB" >>"$OUT" 2>>"$ERR"`,
    ];
    await fs.writeFile(script, `${lines.join('\n')}\n`, { mode: 0o755 });
    return script;
  }

  async run(jobs: readonly WorkerJob[], ctx: ExecutorContext): Promise<void> {
    if (!jobs.length) return;
    const script = await this.writeScript(jobs, ctx);
    const logs = path.join(ctx.sweepDir, 'slurm');
    const common = this.sbatchOptions(ctx);
    const submitted: Array<{ jobId: string; index: number | null }> = [];
    if (this.options.array !== false) {
      const list = `${jobs.map((j) => j.index).join(',')}%${Math.max(1, ctx.concurrency)}`;
      const id = await sbatch([...common, `--array=${list}`, '-o', path.join(logs, '%A_%a.out'), '-e', path.join(logs, '%A_%a.out'), script]);
      submitted.push({ jobId: id, index: null });
    } else {
      for (const j of jobs) {
        try {
          submitted.push({ jobId: await sbatch([...common, '-o', path.join(logs, '%j.out'), '-e', path.join(logs, '%j.out'), script, String(j.index)]), index: j.index });
        } catch (err) {
          for (const s of submitted) await scancel(s.jobId); // nothing half-submitted
          throw err;
        }
      }
    }
    await this.watch(jobs, submitted, ctx);
  }

  /** Polls until every job reached a final state; on abort cancels them and keeps polling. */
  private async watch(jobs: readonly WorkerJob[], submitted: Array<{ jobId: string; index: number | null }>, ctx: ExecutorContext): Promise<void> {
    const open = new Set(jobs.map((j) => j.index));
    const started = new Set<number>();
    let cancelledAt = 0;
    const onAbort = () => { cancelledAt = Date.now(); for (const s of submitted) void scancel(s.jobId); };
    ctx.signal.addEventListener('abort', onAbort);
    let misses = 0;
    try {
      while (open.size) {
        const seen = new Map<number, TaskState & { jobId: string }>();
        let failedQuery = false;
        for (const s of submitted) {
          const tasks = await squeueTasks(s.jobId);
          if (!tasks) { failedQuery = true; continue; }
          for (const t of tasks) {
            const index = s.index ?? Number(t.id.split('_')[1]);
            if (Number.isInteger(index)) seen.set(index, { ...t, jobId: t.id });
          }
        }
        misses = failedQuery ? misses + 1 : 0;
        for (const index of [...open]) {
          const t = seen.get(index);
          if (t && !started.has(index) && t.state !== 'PENDING') { started.add(index); ctx.onStarted(index, t.jobId); }
          const end = t ? TERMINAL[t.state] : !failedQuery ? 'lost' as const : undefined;
          if (!end) continue;
          open.delete(index);
          const codes = t && end !== 'completed' ? await exitCodeOf(t.jobId) : { exitCode: end === 'completed' ? 0 : null, signal: null };
          ctx.onFinished({ index, jobId: t?.jobId ?? null, state: end, exitCode: codes.exitCode, signal: codes.signal ? `signal ${codes.signal}` : null });
        }
        if (cancelledAt && Date.now() - cancelledAt > 60_000) break; // the controller stopped answering
        if (misses > 120) break; // ~1 min without squeue answers
        if (open.size) await sleep(this.options.pollMs ?? 500);
      }
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
    }
    for (const index of open) ctx.onFinished({ index, jobId: null, state: ctx.signal.aborted ? 'cancelled' : 'lost', exitCode: null, signal: null });
  }
}

/** The Slurm executor of `tracker.map` (API.md §13): `executor: slurm({ partition, timeLimit, … })`. */
export function slurm(options: SlurmOptions = {}): SlurmExecutor {
  return new SlurmExecutor(options);
}
