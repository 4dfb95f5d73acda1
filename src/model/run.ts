/** Lifecycle state of a run. A `running` run is never served as a cache hit. */
export type RunStatus = 'running' | 'completed' | 'failed';

/** What created a run. */
export type RunKind = 'step' | 'scenario' | 'manual' | 'trace' | 'command' | 'container';

/** The error recorded on a failed run. */
export interface RunErrorInfo {
  message: string;
  name: string;
  code?: string;
  /** For scenario headers: the step that failed. */
  failedStep?: string;
}

/**
 * One execution attempt of a step, scenario or manual block, as recorded in its snapshot
 * (`<runDir>/<id>/consist.json`) and the `run` table.
 */
export interface Run {
  id: string;
  kind: RunKind;
  name: string;
  model: string | null;
  parentRunId: string | null;
  status: RunStatus;
  year: number | null;
  iteration: number | null;
  tags: string[];
  /** Queryable, un-hashed metadata (flattened into `run_config_kv`). */
  facet: Record<string, unknown> | null;
  /** Canonical config (plain JSON) the signature was computed from. */
  config: unknown;
  signature: string | null;
  codeHash: string | null;
  configHash: string | null;
  inputHash: string | null;
  cacheHit: boolean;
  /** On a hit: the completed run whose outputs were reused. */
  reusedRunId: string | null;
  /** Free-form metadata: identity record, cache-miss explanation, hydration, pid, host. */
  meta: Record<string, unknown>;
  error: RunErrorInfo | null;
  startedAt: string;
  endedAt: string | null;
  durationMs: number | null;
}
