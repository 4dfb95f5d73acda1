/**
 * Runs an idempotent async task on demand, coalescing callers: a call while the task runs waits
 * for one more run that starts after the current one (whose start may predate the caller's
 * request); every caller that arrives meanwhile shares that same next run. N requests during one
 * run cost two runs, not N. Used by `map`'s fold-in of workers' snapshots into the DB.
 */
export class CoalescedTask {
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(private readonly task: () => Promise<unknown>) {}

  /** Resolves after a run of the task that started after this call (rejects with that run's error). */
  run(): Promise<void> {
    if (!this.running) return this.start();
    const next = () => { this.queued = undefined; return this.start(); };
    this.queued ??= this.running.then(next, next);
    return this.queued;
  }

  private start(): Promise<void> {
    const p: Promise<void> = this.task().then(() => undefined).finally(() => {
      if (this.running === p) this.running = undefined;
    });
    this.running = p;
    return p;
  }
}
