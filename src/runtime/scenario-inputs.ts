import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Coupler } from '../coupler/coupler';
import { ConfigurationError, CouplerKeyMissingError } from '../errors';
import { keyFromPath } from '../model/artifact-key';
import type { ExternalStepOptions } from './command-step';
import type { FunctionStepOptions, InputRef } from './run-step-options';

/** A function step inside a scenario: `inputs` may also be a list of coupler keys. */
export interface ScenarioFunctionStep<C = Record<string, unknown>> extends Omit<FunctionStepOptions<C>, 'inputs'> {
  /** Inputs by key, or coupler keys to read (`['zarr_skims', 'population']`). */
  inputs?: Record<string, InputRef> | readonly string[];
}

/** A bare key (no folder, no extension): read as a coupler key, never as a file name. */
const BARE_KEY = /^[A-Za-z0-9_:-]+$/;

/**
 * `['a', 'b']` → `{ a: coupler.a, b: coupler.b }`; a key that is not set is `COUPLER_KEY_MISSING`
 * (naming the keys that are), before anything runs. @internal
 */
export function couplerInputs(keys: readonly unknown[], coupler: Coupler): Record<string, InputRef> {
  const out: Record<string, InputRef> = {};
  for (const key of keys) {
    if (typeof key !== 'string' || !key) throw ConfigurationError.invalidOption('inputs[]', key, 'a coupler key');
    out[key] = coupler.require(key);
  }
  return out;
}

/** A function step's options with list inputs read from the coupler. @internal */
export function resolveFunctionStep<C>(step: ScenarioFunctionStep<C>, coupler: Coupler): FunctionStepOptions<C> {
  if (typeof step !== 'object' || step === null) throw ConfigurationError.invalidOption('step', step, 'a @Step class or { name, fn, … }');
  const inputs = Array.isArray(step.inputs) ? couplerInputs(step.inputs, coupler) : step.inputs as Record<string, InputRef> | undefined;
  return { ...step, inputs } as FunctionStepOptions<C>;
}

/**
 * Inputs of `sc.runCommand` / `sc.runContainer`: in a list, a string that is a coupler key is that
 * artifact (under the coupler key); other strings are paths (relative to `base`, key = file stem).
 * A bare name that is neither a set coupler key nor a file is `COUPLER_KEY_MISSING`. @internal
 */
export function resolveExternalInputs<O extends ExternalStepOptions>(options: O, coupler: Coupler, base: string): O {
  if (typeof options !== 'object' || options === null) throw ConfigurationError.invalidOption('options', options, 'an object');
  if (!Array.isArray(options.inputs)) return options;
  const out: Record<string, InputRef> = {};
  for (const ref of options.inputs as InputRef[]) {
    if (typeof ref !== 'string') {
      out[String((ref as { key?: unknown })?.key ?? '')] = ref;
      continue;
    }
    const fromCoupler = coupler.get(ref);
    if (fromCoupler) out[ref] = fromCoupler;
    else if (BARE_KEY.test(ref) && !existsSync(path.resolve(base, ref))) throw new CouplerKeyMissingError(ref, coupler.keys());
    else out[keyFromPath(ref)] = ref;
  }
  return { ...options, inputs: out };
}
