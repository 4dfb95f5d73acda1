import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import type { ExecutorContext, JobOutcome, SweepExecutor, WorkerJob } from './executor';

/**
 * Runs each job as a child process on this machine, at most `concurrency` at once. Abort sends
 * SIGTERM to running workers and reports the rest `cancelled` without starting them.
 */
export class LocalExecutor implements SweepExecutor {
  readonly kind = 'local';
  readonly remote = false;

  async run(jobs: readonly WorkerJob[], ctx: ExecutorContext): Promise<void> {
    const queue = [...jobs];
    const running = new Set<ReturnType<typeof spawn>>();
    const onAbort = () => { for (const child of running) child.kill('SIGTERM'); };
    ctx.signal.addEventListener('abort', onAbort);
    const lane = async (): Promise<void> => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        if (ctx.signal.aborted) {
          ctx.onFinished({ index: job.index, jobId: null, state: 'cancelled', exitCode: null, signal: null });
          continue;
        }
        ctx.onFinished(await this.runOne(job, ctx, running));
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.max(1, Math.min(ctx.concurrency, jobs.length)) }, lane));
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
    }
  }

  private runOne(job: WorkerJob, ctx: ExecutorContext, running: Set<ReturnType<typeof spawn>>): Promise<JobOutcome> {
    const out = openSync(job.stdoutPath, 'a');
    const err = openSync(job.stderrPath, 'a');
    return new Promise<JobOutcome>((resolve) => {
      const [cmd, ...args] = ctx.workerArgv;
      const child = spawn(cmd, [...args, 'worker', job.jobFile], { cwd: ctx.cwd, env: { ...ctx.env }, stdio: ['ignore', out, err] });
      closeSync(out);
      closeSync(err);
      running.add(child);
      const jobId = `pid:${child.pid ?? '?'}`;
      if (child.pid) ctx.onStarted(job.index, jobId);
      let settled = false;
      const done = (o: JobOutcome) => { if (!settled) { settled = true; running.delete(child); resolve(o); } };
      child.on('error', () => done({ index: job.index, jobId: null, state: 'lost', exitCode: null, signal: null }));
      child.on('exit', (code, signal) => {
        const state = code === 0 ? 'completed' : ctx.signal.aborted ? 'cancelled' : signal ? 'killed' : 'failed';
        done({ index: job.index, jobId, state, exitCode: code, signal });
      });
    });
  }
}
