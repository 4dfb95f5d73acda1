import { injectable } from 'tsyringe';
import { MetadataError } from '../errors';
import type { Constructor } from '../metadata/registry';
import { defineStepMetadata, getStepMetadata, type StepOptions } from '../metadata/step-metadata';
import { recordDeclaringModule } from '../metadata/declaring-module';

/**
 * Declares a cached step. Records the options and makes the class injectable; nothing else.
 * The class extends `StepBase<Config>` and has `async run(@Input('key') …)`.
 *
 * @example
 * @Step({ outputs: ['cleaned'], config: CleaningConfig })
 * class CleanData extends StepBase<CleaningConfig> {
 *   async run(@Input('raw') raw: arrow.Table) { return { cleaned: raw }; }
 * }
 */
export function Step(outputsOrOptions: readonly string[] | StepOptions = {}): ClassDecorator {
  const options: StepOptions = Array.isArray(outputsOrOptions)
    ? { outputs: outputsOrOptions as readonly string[] }
    : (outputsOrOptions as StepOptions);
  if (typeof options !== 'object' || options === null) {
    throw MetadataError.invalidOption('@Step', 'options', 'expected an array of output keys or an options object');
  }
  return (target) => {
    const ctor = target as unknown as Constructor;
    if (getStepMetadata(ctor)) throw MetadataError.duplicateDecorator(ctor, '@Step');
    defineStepMetadata(ctor, { target: ctor, options: Object.freeze({ ...options }) });
    recordDeclaringModule(ctor); // where a sweep's worker process imports the class from
    injectable()(target as unknown as new (...args: unknown[]) => unknown);
  };
}
