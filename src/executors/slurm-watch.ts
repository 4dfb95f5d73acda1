import type { ExecutorContext, JobEndState } from './executor';
import { exitCodeOf, scancel, squeueTasks, type TaskState } from './slurm-commands';
import { itemProgress, type TaskChunk } from './task-table';

/** One submitted chunk: its Slurm id (`123_4` or `124`), the job to query, how far it got. */
export interface SubmittedTask { chunk: TaskChunk; taskId: string; queryId: string; next: number; ended: boolean }

/** Poll intervals: results are read from files (cheap), job states from `squeue` (backs off to `maxSqueueMs`). */
export interface WatchTiming { fastMs: number; maxFileMs: number; maxSqueueMs: number; giveUpMs: number }

const TERMINAL: Record<string, JobEndState> = {
  COMPLETED: 'completed', FAILED: 'failed', CANCELLED: 'cancelled', TIMEOUT: 'timeout', DEADLINE: 'timeout',
  NODE_FAIL: 'lost', BOOT_FAIL: 'lost', OUT_OF_MEMORY: 'killed', PREEMPTED: 'cancelled', REVOKED: 'cancelled',
};
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Follows submitted chunks until every item is reported. Each item's end is read from its
 * `result.json` as soon as the worker writes it (so a packed task's items report one by one);
 * `squeue -r -t all` tells when a task ended without finishing its chunk (killed, cancelled,
 * TIMEOUT, …): its unfinished items then get the task's state and `scontrol`'s exit code. The
 * squeue interval starts fast and doubles while nothing changes, up to `maxSqueueMs`.
 */
export class SlurmWatch {
  private readonly started = new Set<number>();
  private cancelledAt = 0;

  constructor(private readonly tasks: SubmittedTask[], private readonly ctx: ExecutorContext, private readonly timing: WatchTiming) {}

  private get open(): boolean {
    return this.tasks.some((t) => !t.ended);
  }

  /** Reports what the item files say for one task; returns true when something moved. */
  private async readFiles(t: SubmittedTask): Promise<boolean> {
    let moved = false;
    for (; t.next < t.chunk.jobs.length; t.next++) {
      const job = t.chunk.jobs[t.next];
      const p = await itemProgress(job.jobFile);
      if (p === undefined) break;
      if (!this.started.has(job.index)) { this.started.add(job.index); this.ctx.onStarted(job.index, t.taskId); moved = true; }
      if (p === 'started') break;
      this.ctx.onFinished({ index: job.index, jobId: t.taskId, state: p, exitCode: p === 'completed' ? 0 : 1, signal: null });
      moved = true;
    }
    if (t.next >= t.chunk.jobs.length) t.ended = true;
    return moved;
  }

  /** A task Slurm says ended: items it did not finish get its state (and exit code, when not COMPLETED). */
  private async settle(t: SubmittedTask, end: JobEndState, jobId: string | null): Promise<void> {
    await this.readFiles(t); // results written just before the task ended
    if (t.ended) return;
    const codes = end === 'completed' ? { exitCode: 0, signal: null } : await exitCodeOf(t.taskId);
    for (; t.next < t.chunk.jobs.length; t.next++) {
      this.ctx.onFinished({ index: t.chunk.jobs[t.next].index, jobId, state: end, exitCode: codes.exitCode,
        signal: codes.signal ? `signal ${codes.signal}` : null });
    }
    t.ended = true;
  }

  /** One `squeue` round over the submitted jobs; undefined when a query failed. */
  private async states(): Promise<Map<string, TaskState> | undefined> {
    const seen = new Map<string, TaskState>();
    for (const q of new Set(this.tasks.filter((t) => !t.ended).map((t) => t.queryId))) {
      const rows = await squeueTasks(q);
      if (!rows) return undefined;
      for (const r of rows) seen.set(r.id, r);
    }
    return seen;
  }

  /** Settles the tasks squeue shows as ended (or no longer knows); returns true when one ended. */
  private async readQueue(seen: Map<string, TaskState>): Promise<boolean> {
    let moved = false;
    for (const t of this.tasks.filter((x) => !x.ended)) {
      const row = seen.get(t.taskId);
      const end = row ? TERMINAL[row.state] : 'lost';
      if (!end) continue;
      await this.settle(t, end, row ? t.taskId : null);
      moved = true;
    }
    return moved;
  }

  /** Polls until every item is reported; on abort cancels the jobs and keeps polling (bounded). */
  async run(): Promise<void> {
    const { fastMs, maxFileMs, maxSqueueMs, giveUpMs } = this.timing;
    const onAbort = () => { this.cancelledAt = Date.now(); for (const q of new Set(this.tasks.map((t) => t.queryId))) void scancel(q); };
    this.ctx.signal.addEventListener('abort', onAbort);
    let fileDelay = fastMs;
    let queueDelay = fastMs;
    let nextQueue = Date.now() + fastMs;
    let queueOkAt = Date.now();
    try {
      while (this.open) {
        let moved = false;
        for (const t of this.tasks) if (!t.ended && (await this.readFiles(t))) moved = true;
        if (this.open && Date.now() >= nextQueue) {
          const seen = await this.states();
          const ended = seen ? await this.readQueue(seen) : false;
          if (seen) queueOkAt = Date.now();
          queueDelay = ended ? fastMs : Math.min(queueDelay * 2, maxSqueueMs);
          nextQueue = Date.now() + queueDelay;
          moved ||= ended;
        }
        if (this.cancelledAt && Date.now() - this.cancelledAt > giveUpMs) break; // the controller stopped answering
        if (Date.now() - queueOkAt > 2 * giveUpMs) break; // squeue has not answered for minutes
        fileDelay = moved ? fastMs : Math.min(fileDelay * 1.5, maxFileMs);
        if (this.open) await sleep(Math.max(10, Math.min(fileDelay, nextQueue - Date.now())));
      }
    } finally {
      this.ctx.signal.removeEventListener('abort', onAbort);
    }
    for (const t of this.tasks.filter((x) => !x.ended)) {
      for (; t.next < t.chunk.jobs.length; t.next++) {
        this.ctx.onFinished({ index: t.chunk.jobs[t.next].index, jobId: null, state: this.ctx.signal.aborted ? 'cancelled' : 'lost', exitCode: null, signal: null });
      }
    }
  }
}
