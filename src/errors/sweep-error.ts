import { ConsistError } from './consist-error';

/** Codes of {@link SweepError}. */
export type SweepErrorCode =
  | 'SWEEP_INVALID_ITEMS'
  | 'SWEEP_INVALID_OPTIONS'
  | 'STEP_NOT_IMPORTABLE'
  | 'SLURM_UNAVAILABLE'
  | 'SLURM_SUBMIT_REJECTED'
  | 'SWEEP_NOT_FOUND'
  | 'SWEEP_JOB_INVALID';

/** One item that failed validation before anything was submitted. */
export interface InvalidItem { index: number; code: string; message: string }

/** `tracker.map` could not start (bad items or options, an unimportable step) or the scheduler refused it. */
export class SweepError extends ConsistError<SweepErrorCode> {
  constructor(readonly code: SweepErrorCode, message: string, opts: { details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, opts);
  }

  /** Some items fail validation; nothing was submitted. */
  static invalidItems(items: readonly InvalidItem[]): SweepError {
    const shown = items.slice(0, 10).map((i) => `  item ${i.index}: ${i.code}: ${i.message}`).join('\n');
    const more = items.length > 10 ? `\n  … and ${items.length - 10} more` : '';
    return new SweepError('SWEEP_INVALID_ITEMS',
      `${items.length} sweep item(s) are invalid; nothing was submitted. Fix them and call map again:\n${shown}${more}`,
      { details: { items: items.map((i) => ({ ...i })) } });
  }

  /** A `map` option is wrong. */
  static invalidOption(name: string, value: unknown, expected: string): SweepError {
    let shown: string;
    try { shown = JSON.stringify(value) ?? String(value); } catch { shown = String(value); }
    return new SweepError('SWEEP_INVALID_OPTIONS', `Invalid map option '${name}': got ${shown}, expected ${expected}.`,
      { details: { name, expected } });
  }

  /** A worker process cannot import the step class (not exported, declared in a function, no module recorded). */
  static stepNotImportable(step: string, why: string, details: Record<string, unknown> = {}): SweepError {
    return new SweepError('STEP_NOT_IMPORTABLE',
      `Step '${step}' cannot be imported by a worker process: ${why}. Declare the @Step class at the top level of a ` +
        `module and export it, or pass { module, exportName } in the map options.`, { details: { step, ...details } });
  }

  /** The Slurm controller does not answer (or the client tools are missing); nothing was submitted. */
  static slurmUnavailable(stderr: string, command: string): SweepError {
    return new SweepError('SLURM_UNAVAILABLE',
      `Slurm is not reachable (\`${command}\` failed); nothing was submitted. Check that slurmctld runs and that ` +
        `SLURM_CONF or /etc/slurm/slurm.conf points at it (scripts/slurm-up.sh starts a local one).\n${stderr.trim()}`,
      { details: { stderr, command } });
  }

  /** `sbatch` refused the submission (an option the cluster rejects); nothing was submitted. */
  static submitRejected(stderr: string, argv: readonly string[]): SweepError {
    return new SweepError('SLURM_SUBMIT_REJECTED',
      `sbatch rejected the sweep; nothing was submitted. Fix the executor options (partition, timeLimit, memory, ` +
        `account, qos, extraArgs):\n${stderr.trim()}`, { details: { stderr, argv: [...argv] } });
  }

  /** No sweep folder of that id. */
  static notFound(sweepId: string, dir: string): SweepError {
    return new SweepError('SWEEP_NOT_FOUND', `No sweep '${sweepId}' under ${dir}. List them with \`ls ${dir}\`.`,
      { details: { sweepId, dir } });
  }

  /** A worker's job file is missing or malformed. */
  static jobInvalid(file: string, why: string): SweepError {
    return new SweepError('SWEEP_JOB_INVALID', `Sweep job file ${file} is invalid: ${why}. Job files are written by tracker.map; re-run the map.`,
      { details: { file } });
  }
}

/** Why one item of a sweep produced no run. */
export type SweepItemFailureReason = 'failed' | 'killed' | 'cancelled' | 'timeout' | 'lost' | 'aborted';

/** What is known about an item that failed (see {@link SweepItemError}). */
export interface SweepItemFailure {
  /** Position in the items given to `map`. */
  index: number;
  item: unknown;
  reason: SweepItemFailureReason;
  /** Scheduler job id (`1234_5` for a Slurm array task, `pid:…` for a local worker). */
  jobId: string | null;
  exitCode: number | null;
  signal: string | null;
  /** Last lines of the worker's stderr. */
  stderrTail: readonly string[];
  stderrPath: string | null;
  /** The step's own error, when the worker reported one. */
  error?: { code?: string; name?: string; message: string };
}

/**
 * A per-item failure of `tracker.map`: returned in the item's slot (not thrown), so one failed item
 * never hides the others' results. Code `SWEEP_ITEM_FAILED`.
 */
export class SweepItemError extends ConsistError<'SWEEP_ITEM_FAILED'> {
  readonly code = 'SWEEP_ITEM_FAILED' as const;
  readonly index: number;
  readonly item: unknown;
  readonly reason: SweepItemFailureReason;
  readonly jobId: string | null;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stderrTail: readonly string[];
  readonly stderrPath: string | null;
  readonly error?: SweepItemFailure['error'];

  constructor(f: SweepItemFailure) {
    const how = f.error ? `${f.error.code ?? f.error.name ?? 'Error'}: ${f.error.message}`
      : f.signal ? `killed by ${f.signal}` : f.exitCode !== null ? `exit code ${f.exitCode}` : f.reason;
    const tail = f.stderrTail.length ? `\n--- last ${f.stderrTail.length} lines of stderr ---\n${f.stderrTail.join('\n')}` : '';
    super(`Sweep item ${f.index} ${f.reason} (job ${f.jobId ?? 'not started'}): ${how}. Re-run map to retry only the missing items.${tail}`,
      { details: { index: f.index, reason: f.reason, jobId: f.jobId, exitCode: f.exitCode, signal: f.signal, stderrPath: f.stderrPath } });
    this.index = f.index;
    this.item = f.item;
    this.reason = f.reason;
    this.jobId = f.jobId;
    this.exitCode = f.exitCode;
    this.signal = f.signal;
    this.stderrTail = f.stderrTail;
    this.stderrPath = f.stderrPath;
    this.error = f.error;
  }
}
