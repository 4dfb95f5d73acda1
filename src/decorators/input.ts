import { MetadataError } from '../errors';
import { addInputParam, type InputBinding } from '../metadata/step-metadata';
import { isValidArtifactKey } from '../model/artifact-key';

/** Options of {@link Input}. */
export interface InputOptions {
  /** Force the binding instead of inferring it from the parameter type. */
  as?: InputBinding;
  /** When true, a missing input passes `undefined` instead of failing. */
  optional?: boolean;
}

/**
 * Binds a `run()` parameter to the input (or coupler slot) `key`. The parameter's type picks the
 * form: `arrow.Table` → loaded table, `string` → local path, `Artifact` → the record.
 *
 * @example
 * async run(@Input('raw') raw: arrow.Table, @Input('zones', { as: 'path' }) zones: string) { … }
 */
export function Input(key: string, options: InputOptions = {}): ParameterDecorator {
  if (!isValidArtifactKey(key)) throw MetadataError.invalidOption('@Input', 'key', `'${String(key)}' is not a valid artifact key`);
  if (options.as !== undefined && !['table', 'path', 'artifact'].includes(options.as)) {
    throw MetadataError.invalidOption('@Input', 'as', "expected 'table', 'path' or 'artifact'");
  }
  return (target, propertyKey, index) => {
    if (propertyKey !== 'run') {
      throw MetadataError.invalidOption(target.constructor, '@Input', 'only parameters of run() can be inputs');
    }
    addInputParam(target.constructor, { index, key, as: options.as, optional: options.optional ?? false });
  };
}
