import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import * as path from 'node:path';
import type { ExecutorContext, JobOutcome, SweepExecutor, WorkerJob } from './executor';

type Reply = { exitCode: number } | { exit: { code: number | null; signal: NodeJS.Signals | null } };

/** A pooled worker process; `next()` resolves with its next reply (in job order), or its exit. */
interface PooledWorker { child: ChildProcess; next: () => Promise<Reply> }

/** Jobs sent ahead to a worker: one running, one waiting in its IPC queue (no idle gap while the submitter folds in). */
const PREFETCH = 2;

/**
 * Runs jobs on a pool of `concurrency` worker processes on this machine (`consist worker
 * --serve`): each worker opens the runs folder once and takes jobs one at a time over an IPC
 * channel, so the per-item cost is the step, not a node start. The next job is sent ahead, so a
 * worker never waits for a busy submitter. A worker that dies mid-job (SIGKILL, crash) reports
 * only that job `killed`/`failed`; the job sent ahead goes back to the queue for a fresh worker.
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
      let worker: PooledWorker | undefined;
      const sent: WorkerJob[] = []; // in order: the head runs, the next one waits in the worker
      for (;;) {
        while (sent.length < PREFETCH && queue.length) {
          const job = queue.shift()!;
          if (ctx.signal.aborted) {
            ctx.onFinished({ index: job.index, jobId: null, state: 'cancelled', exitCode: null, signal: null });
            continue;
          }
          worker ??= this.spawnWorker(ctx, path.join(logs, String(lane)), children);
          worker.child.send({ jobFile: job.jobFile, stdoutPath: job.stdoutPath, stderrPath: job.stderrPath });
          sent.push(job);
          if (sent.length === 1) ctx.onStarted(job.index, `pid:${worker.child.pid ?? '?'}`);
        }
        if (!worker || !sent.length) break;
        const r = await worker.next();
        const head = sent.shift()!;
        ctx.onFinished(outcome(head, `pid:${worker.child.pid ?? '?'}`, r, ctx.signal.aborted));
        if ('exit' in r) { // a dead worker ran only the head: the rest go back to the queue, for a fresh worker
          queue.unshift(...sent.splice(0));
          worker = undefined;
        } else if (sent.length) {
          ctx.onStarted(sent[0].index, `pid:${worker.child.pid ?? '?'}`);
        }
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
  private spawnWorker(ctx: ExecutorContext, logBase: string, children: Set<ChildProcess>): PooledWorker {
    const out = openSync(`${logBase}.out`, 'a');
    const err = openSync(`${logBase}.err`, 'a');
    const [cmd, ...args] = ctx.workerArgv;
    const child = spawn(cmd, [...args, 'worker', '--serve'], { cwd: ctx.cwd, env: { ...ctx.env }, stdio: ['ignore', out, err, 'ipc'] });
    closeSync(out);
    closeSync(err);
    children.add(child);
    const replies: Reply[] = [];
    let waiting: ((r: Reply) => void) | undefined;
    let exit: Reply | undefined;
    const deliver = (r: Reply) => { const w = waiting; waiting = undefined; if (w) w(r); else replies.push(r); };
    child.on('message', (m: { exitCode: number }) => deliver({ exitCode: m.exitCode }));
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      if (exit) return;
      children.delete(child);
      exit = { exit: { code, signal } };
      if (waiting) deliver(exit);
    };
    child.on('exit', onExit);
    child.on('error', () => onExit(null, null));
    const next = () => new Promise<Reply>((resolve) => {
      const r = replies.shift() ?? exit;
      if (r) resolve(r);
      else waiting = resolve;
    });
    return { child, next };
  }
}

function outcome(job: WorkerJob, jobId: string, r: Reply, aborted: boolean): JobOutcome {
  if ('exitCode' in r) return { index: job.index, jobId, state: r.exitCode === 0 ? 'completed' : 'failed', exitCode: r.exitCode, signal: null };
  const { code, signal } = r.exit;
  const state = aborted ? 'cancelled' : signal ? 'killed' : 'failed';
  return { index: job.index, jobId, state, exitCode: code, signal };
}
