import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import * as path from 'node:path';
import type { ExecutorContext, JobOutcome, SweepExecutor, WorkerJob } from './executor';

type Reply = { exitCode: number } | { exit: { code: number | null; signal: NodeJS.Signals | null } };

/**
 * Runs jobs on a pool of `concurrency` worker processes on this machine (`consist worker
 * --serve`): each worker opens the runs folder once and takes jobs one at a time over an IPC
 * channel, so the per-item cost is the step, not a node start. A worker that dies mid-job
 * (SIGKILL, crash) reports that job `killed`/`failed`, and a fresh worker takes the next one.
 * Abort sends SIGTERM to the workers and reports unstarted jobs `cancelled`.
 */
export class LocalExecutor implements SweepExecutor {
  readonly kind = 'local';
  readonly remote = false;

  async run(jobs: readonly WorkerJob[], ctx: ExecutorContext): Promise<void> {
    const queue = [...jobs];
    const children = new Set<ChildProcess>();
    const onAbort = () => { for (const c of children) c.kill('SIGTERM'); };
    ctx.signal.addEventListener('abort', onAbort);
    const logs = path.join(ctx.sweepDir, 'workers');
    mkdirSync(logs, { recursive: true });
    const lane = async (lane: number): Promise<void> => {
      let worker: { child: ChildProcess; next: () => Promise<Reply> } | undefined;
      for (let job = queue.shift(); job; job = queue.shift()) {
        if (ctx.signal.aborted) {
          ctx.onFinished({ index: job.index, jobId: null, state: 'cancelled', exitCode: null, signal: null });
          continue;
        }
        worker ??= this.spawnWorker(ctx, path.join(logs, String(lane)), children);
        const jobId = `pid:${worker.child.pid ?? '?'}`;
        ctx.onStarted(job.index, jobId);
        const reply = worker.next();
        worker.child.send({ jobFile: job.jobFile, stdoutPath: job.stdoutPath, stderrPath: job.stderrPath });
        const r = await reply;
        ctx.onFinished(outcome(job, jobId, r, ctx.signal.aborted));
        if ('exit' in r) worker = undefined;
      }
      if (worker) {
        const exited = worker.next();
        worker.child.disconnect();
        await exited;
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.max(1, Math.min(ctx.concurrency, jobs.length)) }, (_, i) => lane(i)));
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
    }
  }

  /** Starts one pooled worker; `next()` resolves with its next reply, or its exit. */
  private spawnWorker(ctx: ExecutorContext, logBase: string, children: Set<ChildProcess>) {
    const out = openSync(`${logBase}.out`, 'a');
    const err = openSync(`${logBase}.err`, 'a');
    const [cmd, ...args] = ctx.workerArgv;
    const child = spawn(cmd, [...args, 'worker', '--serve'], { cwd: ctx.cwd, env: { ...ctx.env }, stdio: ['ignore', out, err, 'ipc'] });
    closeSync(out);
    closeSync(err);
    children.add(child);
    let waiting: ((r: Reply) => void) | undefined;
    let exit: Reply | undefined;
    child.on('message', (m: { exitCode: number }) => { const w = waiting; waiting = undefined; w?.({ exitCode: m.exitCode }); });
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      children.delete(child);
      exit = { exit: { code, signal } };
      const w = waiting;
      waiting = undefined;
      w?.(exit);
    };
    child.on('exit', onExit);
    child.on('error', () => onExit(null, null));
    return { child, next: () => new Promise<Reply>((resolve) => { if (exit) resolve(exit); else waiting = resolve; }) };
  }
}

function outcome(job: WorkerJob, jobId: string, r: Reply, aborted: boolean): JobOutcome {
  if ('exitCode' in r) return { index: job.index, jobId, state: r.exitCode === 0 ? 'completed' : 'failed', exitCode: r.exitCode, signal: null };
  const { code, signal } = r.exit;
  const state = aborted ? 'cancelled' : signal ? 'killed' : 'failed';
  return { index: job.index, jobId, state, exitCode: code, signal };
}
