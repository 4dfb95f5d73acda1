import { ConsistError } from './consist-error';

/** Codes of {@link RunError}. */
export type RunErrorCode =
  | 'RUN_ALREADY_ACTIVE'
  | 'RUN_NOT_ACTIVE'
  | 'RUN_NOT_FOUND'
  | 'RUN_AMBIGUOUS'
  | 'RUN_ID_INVALID'
  | 'RUN_ID_CONFLICT';

/** A run lifecycle or run lookup problem. */
export class RunError extends ConsistError<RunErrorCode> {
  constructor(readonly code: RunErrorCode, message: string, details?: Record<string, unknown>) {
    super(message, { details });
  }

  static alreadyActive(active: string, requested: string): RunError {
    return new RunError('RUN_ALREADY_ACTIVE',
      `Cannot start run '${requested}': run '${active}' is already active. Runs do not nest; ` +
        `end the active run first, or use a scenario to group steps.`, { active, requested });
  }
  static notActive(what: string): RunError {
    return new RunError('RUN_NOT_ACTIVE', `${what} needs an active run. Call it inside startRun(…) or a step.`);
  }
  static invalidId(id: unknown): RunError {
    return new RunError('RUN_ID_INVALID',
      `Run id ${JSON.stringify(String(id)).slice(0, 80)} is invalid: use 1-200 characters from [A-Za-z0-9_.-], not starting with '.'.`,
      { id: String(id).slice(0, 300) });
  }
  static idConflict(id: string): RunError {
    return new RunError('RUN_ID_CONFLICT',
      `A run with id '${id}' already exists. Choose another id, or omit it to get a generated one.`, { id });
  }
  /** A run name is taken by a run of another kind or model (API.md §10): re-running under it would mix two things. */
  static nameTaken(id: string, existing: { kind: string; model: string | null }, wanted: { kind: string; model: string | null }): RunError {
    const what = (r: { kind: string; model: string | null }) => `a ${r.kind} run${r.model ? ` of model '${r.model}'` : ' without a model'}`;
    return new RunError('RUN_ID_CONFLICT',
      `Run id '${id}' is taken by ${what(existing)}; this call would record ${what(wanted)}. ` +
        `Choose another id, or run it with the same kind and model to add an execution under that name.`,
      { id, existing, wanted });
  }
}

/**
 * A query that needs exactly one run did not get exactly one (API.md §6): none matched
 * (`RUN_NOT_FOUND`), or, as the subclass {@link AmbiguousRunError}, several did (`RUN_AMBIGUOUS`).
 */
export class RunNotFoundError extends RunError {
  constructor(what: string, code: 'RUN_NOT_FOUND' | 'RUN_AMBIGUOUS' = 'RUN_NOT_FOUND',
    message = `No run matches ${what}. List runs with \`consist runs\`.`, details: Record<string, unknown> = { query: what }) {
    super(code, message, details);
  }
}

/** More than one run matched a query that needs exactly one; `instanceof RunNotFoundError` too. */
export class AmbiguousRunError extends RunNotFoundError {
  /** @param more true when more runs match than `runIds` lists. */
  constructor(what: string, readonly runIds: readonly string[], more = false) {
    super(what, 'RUN_AMBIGUOUS',
      `${more ? 'More than ' : ''}${runIds.length} runs match ${what} (${runIds.slice(0, 5).join(', ')}${runIds.length > 5 ? ', …' : ''}); ` +
        `add filters so exactly one matches.`, { query: what, runIds });
  }
}

/** The user's step code threw; `cause` is the original error. */
export class StepExecutionError extends ConsistError<'STEP_FAILED'> {
  readonly code = 'STEP_FAILED' as const;
  constructor(readonly step: string, readonly runId: string, cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(`Step '${step}' (run ${runId}) failed: ${why}`, { cause, details: { step, runId } });
  }
}

/** Codes of {@link CacheError}. */
export type CacheErrorCode = 'CACHE_OUTPUT_MISSING' | 'CODE_IDENTITY_UNAVAILABLE' | 'INPUT_IDENTITY_UNAVAILABLE';

/** A cache lookup or hydration problem. */
export class CacheError extends ConsistError<CacheErrorCode> {
  constructor(readonly code: CacheErrorCode, message: string, details?: Record<string, unknown>) {
    super(message, { details });
  }
  static cachedOutputMissing(runId: string, key: string, path: string): CacheError {
    return new CacheError('CACHE_OUTPUT_MISSING',
      `Cached run '${runId}' output '${key}' is gone from '${path}'. Re-run with cacheMode: 'overwrite'.`,
      { runId, key, path });
  }
  static codeIdentityUnavailable(step: string, why: string): CacheError {
    return new CacheError('CODE_IDENTITY_UNAVAILABLE',
      `Cannot determine the code identity of '${step}': ${why}. Pin it with @Step({ codeVersion: '1' }).`, { step });
  }
  /** An input reached identity computation with neither a content hash nor a producer signature. */
  static inputIdentityUnavailable(key: string, hashing: string): CacheError {
    return new CacheError('INPUT_IDENTITY_UNAVAILABLE',
      `Input '${key}' has neither a content hash nor a producing run signature, so it cannot be part of ` +
        `a signature under '${hashing}' hashing. Hash the file before computing the identity.`, { key, hashing });
  }
}
