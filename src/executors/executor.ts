/**
 * The executor seam of `tracker.map` (API.md §13). An executor runs worker jobs somewhere —
 * child processes here (`local`), Slurm array tasks (`slurm`), and later e.g. Kubernetes Jobs or
 * AWS Batch — and reports each job's end. It knows nothing about steps, caching or the DB: a job
 * is `<worker argv> worker <job.json>`; the worker writes `result.json` next to the job file and
 * the submitter reads it. To add a backend, implement {@link SweepExecutor}: submit the jobs,
 * call `onStarted`/`onFinished` once per job, cancel everything when `signal` aborts, and throw
 * a typed error (nothing submitted) when the backend refuses the batch as a whole.
 */

/** One unit of work: run the worker on `jobFile`, sending its output to the two log files. */
export interface WorkerJob {
  /** The item's position in the items given to `map` (stable across re-submissions). */
  index: number;
  /** Absolute path of the job file the worker reads. */
  jobFile: string;
  stdoutPath: string;
  stderrPath: string;
}

/** How a job ended, as far as the backend can tell. */
export type JobEndState = 'completed' | 'failed' | 'killed' | 'cancelled' | 'timeout' | 'lost';

/** What an executor reports once per job. */
export interface JobOutcome {
  index: number;
  /** Backend's id (`pid:123`, `4567_3`), or null when the job never started. */
  jobId: string | null;
  state: JobEndState;
  exitCode: number | null;
  signal: string | null;
}

/** What the submitter gives an executor for one batch. */
export interface ExecutorContext {
  /** The sweep's folder (shared filesystem): scripts and logs go here. */
  sweepDir: string;
  /** Most jobs running at once. */
  concurrency: number;
  /** Aborted on Ctrl-C, the caller's signal or `failFast`: cancel what runs, start nothing more. */
  signal: AbortSignal;
  /** The worker command without its `worker <job.json>` arguments (node, CLI entry, loaders). */
  workerArgv: readonly string[];
  /** The complete environment of a job (executors pass it explicitly, never inherit more). */
  env: Readonly<Record<string, string>>;
  /** Working directory of the jobs. */
  cwd: string;
  onStarted(index: number, jobId: string): void;
  onFinished(outcome: JobOutcome): void;
}

/** A place sweeps run. `run` resolves when every job was reported finished (or cancelled). */
export interface SweepExecutor {
  /** Short name for logs and `consist map status` (`local`, `slurm`). */
  readonly kind: string;
  /** True when the backend's nodes see only shared filesystems (so node-local run folders are a mistake). */
  readonly remote: boolean;
  run(jobs: readonly WorkerJob[], ctx: ExecutorContext): Promise<void>;
}

/** `'inline'`: today's behaviour, every item in this process; `'local'`: worker processes on this machine. */
export type ExecutorSpec = 'inline' | 'local' | SweepExecutor;

/** True for an object implementing {@link SweepExecutor}. */
export function isSweepExecutor(value: unknown): value is SweepExecutor {
  return typeof value === 'object' && value !== null && typeof (value as SweepExecutor).run === 'function' &&
    typeof (value as SweepExecutor).kind === 'string';
}
