import type { JsonValue } from './canonical';

/** The run metadata that is part of a run's identity (hashed together with the config). */
export interface RunFields {
  /** Step name. */
  step: string;
  model: string | null;
  year: number | null;
  iteration: number | null;
  /** Global cache epoch (tracker or scenario level); bump it to invalidate every cached run. */
  cacheEpoch: number;
  /** Per-step cache version (`@Step({ cacheVersion })` or the per-call option). */
  cacheVersion: number;
  /** Explicit code version (`@Step({ codeVersion })`), or `null`. */
  codeVersion: string | null;
}

/**
 * The run fields as a plain JSON object with exactly the {@link RunFields} keys, so extra
 * properties on the argument never leak into the hash.
 */
export function runFieldsToJson(fields: RunFields): { [key: string]: JsonValue } {
  return {
    step: fields.step,
    model: fields.model,
    year: fields.year,
    iteration: fields.iteration,
    cacheEpoch: fields.cacheEpoch,
    cacheVersion: fields.cacheVersion,
    codeVersion: fields.codeVersion,
  };
}
