import type { Table } from 'apache-arrow';
import { STEP_CONTEXT_MARK } from '../metadata/compile-step';
import type { Artifact } from '../model';

/** Rows or an Arrow table a step hands to `logTable`. */
export type TableLike = Table | readonly Record<string, unknown>[];

/** Options of {@link StepContext.logTable}. */
export interface LogTableOptions {
  key: string;
  /** A `@Table` class describing the rows. */
  schema?: Function;
}

/** Options of {@link StepContext.captureOutputs}. */
export interface CaptureOptions {
  /** Glob on file names relative to the folder (`*.csv`, `**\/*.parquet`). Default: every file. */
  pattern?: string;
}

/** What a context delegates to; implemented by the runner. @internal */
export interface StepContextPort {
  logOutput(path: string, key: string, schema?: Function): Promise<Artifact>;
  logTable(table: TableLike, options: LogTableOptions): Promise<Artifact>;
  captureOutputs(dir: string, options: CaptureOptions, fn: () => Promise<void>): Promise<Artifact[]>;
}

/** Fields of a {@link StepContext}. @internal */
export interface StepContextInit {
  runId: string;
  runDir: string;
  year: number | null;
  iteration: number | null;
  runtime: Readonly<Record<string, unknown>>;
  port: StepContextPort;
}

/**
 * What a running step can see and do: its run id and folder, year/iteration, the un-hashed
 * `runtime` values, and logging of extra outputs. Available as `this.ctx`, or as a `run()`
 * parameter typed `StepContext`.
 */
export class StepContext {
  static readonly [STEP_CONTEXT_MARK] = true;
  readonly runId: string;
  /** This run's own folder; write outputs here. */
  readonly runDir: string;
  readonly year: number | null;
  readonly iteration: number | null;
  /** Values passed with `runtime:`; never part of the signature. */
  readonly runtime: Readonly<Record<string, unknown>>;
  private readonly port: StepContextPort;

  /** @internal */
  constructor(init: StepContextInit) {
    this.runId = init.runId;
    this.runDir = init.runDir;
    this.year = init.year;
    this.iteration = init.iteration;
    this.runtime = init.runtime;
    this.port = init.port;
  }

  /** Logs a file the step wrote as an output under `key` (optionally following a `@Table` schema). */
  logOutput(path: string, key: string, schema?: Function): Promise<Artifact> {
    return this.port.logOutput(path, key, schema);
  }

  /** Writes rows or an Arrow table to `<runDir>/<key>.parquet` and logs it as an output. */
  logTable(table: TableLike, options: LogTableOptions): Promise<Artifact> {
    return this.port.logTable(table, options);
  }

  /** Every file matching `pattern` that `fn` creates or modifies in `dir` becomes an output keyed by its stem. */
  captureOutputs(dir: string, options: CaptureOptions, fn: () => Promise<void>): Promise<Artifact[]> {
    return this.port.captureOutputs(dir, options, fn);
  }
}
