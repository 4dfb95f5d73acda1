import { ConfigurationError, RunError } from '../errors';
import { toCanonicalValue } from '../identity/canonical';
import { isValidRunId } from '../util/ids';

/** Run metadata accepted by `startRun`, `beginRun`, `tracker.run` and scenarios. */
export interface RunMetadataOptions {
  name?: string;
  model?: string;
  parentRunId?: string;
  year?: number;
  iteration?: number;
  tags?: string[];
  /** Queryable metadata, flattened into `run_config_kv`; not hashed. */
  facet?: Record<string, unknown>;
  /** Free-form metadata stored with the run. */
  meta?: Record<string, unknown>;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Rejects wrong option types from plain-JS callers with `CONFIGURATION_INVALID`, before any side effect. @internal */
export function assertRunMetadata(o: RunMetadataOptions | undefined): void {
  if (o === undefined) return;
  if (!isPlainObject(o)) throw ConfigurationError.invalidOption('options', o, 'an object');
  for (const k of ['name', 'model', 'parentRunId'] as const) {
    if (o[k] !== undefined && typeof o[k] !== 'string') throw ConfigurationError.invalidOption(k, o[k], 'a string');
  }
  for (const k of ['year', 'iteration'] as const) {
    if (o[k] !== undefined && o[k] !== null && !Number.isInteger(o[k])) throw ConfigurationError.invalidOption(k, o[k], 'an integer');
  }
  if (o.tags !== undefined && (!Array.isArray(o.tags) || o.tags.some((t) => typeof t !== 'string'))) {
    throw ConfigurationError.invalidOption('tags', o.tags, 'an array of strings');
  }
  for (const k of ['facet', 'meta'] as const) {
    if (o[k] === undefined) continue;
    if (!isPlainObject(o[k])) throw ConfigurationError.invalidOption(k, o[k], 'a plain object');
    // Recorded as JSON (snapshot, facet index): a function, cycle or NaN would be lost or crash after the run began.
    toCanonicalValue(o[k], k);
  }
}

/** Throws `RUN_ID_INVALID` unless `id` can name a run folder. @internal */
export function assertRunId(id: unknown): asserts id is string {
  if (!isValidRunId(id)) throw RunError.invalidId(id);
}
