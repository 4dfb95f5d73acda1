import type { Artifact, Run, RunKind } from '../model';
import { RunError } from '../errors';
import type { ArtifactStore, LogArtifactOptions } from '../artifacts/artifact-store';
import type { Logger } from '../util/logger';
import { toCanonicalValue } from '../identity/canonical';
import { ActiveRun } from './active-run';
import type { RunRecorder } from './run-recorder';
import type { RunNames } from './run-names';
import { assertRunId, assertRunMetadata, type RunMetadataOptions } from './run-options';

/** Options of `startRun` / `beginRun`. */
export interface StartRunOptions extends RunMetadataOptions {
  /** Recorded as the run's config (not used for caching in the manual lifecycle). */
  config?: unknown;
  /** @internal what kind of run this is; `manual` by default. */
  kind?: RunKind;
}

/**
 * The manual lifecycle of API.md §3 (wrapping legacy tools): one active run at a time per
 * tracker, artifacts logged against it, `completed` or `failed` at the end.
 */
export class RunLifecycle {
  private current: ActiveRun | undefined;

  constructor(
    private readonly recorder: RunRecorder,
    private readonly artifacts: ArtifactStore,
    private readonly logger: Logger,
    /** Run ids as names: a taken id gets a new execution (`id~2`), see {@link RunNames}. */
    readonly names: RunNames,
  ) {}

  /** The active manual run, if any. */
  get active(): ActiveRun | undefined {
    return this.current;
  }

  /** Starts a run; it stays active until {@link end}. Nested runs are `RUN_ALREADY_ACTIVE`. */
  async begin(id: string, opts: StartRunOptions = {}): Promise<Run> {
    assertRunId(id);
    assertRunMetadata(opts);
    if (opts.config !== undefined) toCanonicalValue(opts.config, 'config');
    if (this.current) throw RunError.alreadyActive(this.current.id, id);
    const kind = opts.kind ?? 'manual';
    // A taken name (same kind and model) gets a new execution id; the name then resolves to it.
    const { id: executionId } = await this.names.claim(id, { kind, model: opts.model ?? null });
    const active = new ActiveRun({ ...opts, id: executionId, kind, name: opts.name ?? id }, this.logger);
    this.current = active;
    try {
      await this.recorder.persist(active.snapshot());
    } catch (err) {
      this.current = undefined;
      throw err;
    }
    return structuredClone(active.run);
  }

  /** Ends the active run as `completed`, or `failed` with `error` recorded. */
  async end(status: 'completed' | 'failed' = 'completed', error?: unknown): Promise<Run> {
    const active = this.current;
    if (!active) throw RunError.notActive('endRun');
    this.current = undefined;
    active.finish(status, error);
    await this.recorder.persist(active.snapshot());
    return structuredClone(active.run);
  }

  /** Runs `fn` inside a run: `completed` when it resolves; `failed` (error recorded, then rethrown) when it throws. */
  async startRun<T>(id: string, opts: StartRunOptions, fn: (run: Run) => Promise<T>): Promise<T> {
    const run = await this.begin(id, opts);
    let value: T;
    try {
      value = await fn(run);
    } catch (err) {
      await this.end('failed', err);
      throw err;
    }
    await this.end('completed');
    return value;
  }

  /** Logs a file against the active run (`output` by default). */
  async logArtifact(ref: string, opts: LogArtifactOptions = {}): Promise<Artifact> {
    const active = this.current;
    if (!active) throw RunError.notActive('logArtifact');
    const direction = opts.direction ?? 'output';
    const artifact = await this.artifacts.describe(ref, { ...opts, direction }, direction === 'output' ? active.id : null);
    active.link(artifact, opts.key ?? artifact.key, direction);
    return artifact;
  }
}
