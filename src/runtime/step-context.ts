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
  /** Queryable metadata of the artifact (API.md §11), indexed under the run's model unless `facetNamespace`. */
  facet?: Record<string, unknown>;
  facetNamespace?: string;
}

/** Options of {@link StepContext.logOutput}. */
export interface LogOutputOptions {
  /** A `@Table` class the file follows. */
  schema?: Function;
  /** Queryable metadata of the artifact (API.md §11), indexed under the run's model unless `facetNamespace`. */
  facet?: Record<string, unknown>;
  facetNamespace?: string;
}

/** Options of {@link StepContext.captureOutputs}. */
export interface CaptureOptions {
  /** Glob on file names relative to the folder (`*.csv`, `**\/*.parquet`). Default: every file. */
  pattern?: string;
}

/** What a context delegates to; implemented by the runner. @internal */
export interface StepContextPort {
  logOutput(path: string, key: string, options?: LogOutputOptions): Promise<Artifact>;
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

  /**
   * Logs a file the step wrote as an output under `key`. The third argument is a `@Table` class
   * (shorthand) or `{ schema?, facet?, facetNamespace? }`.
   */
  logOutput(path: string, key: string, options?: Function | LogOutputOptions): Promise<Artifact> {
    return this.port.logOutput(path, key, typeof options === 'function' ? { schema: options } : options ?? {});
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
