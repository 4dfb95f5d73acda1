import { plainToInstance } from 'class-transformer';
import type { ValidationError } from 'class-validator';
import { classValidator } from '../util/class-validator';
import { ConfigurationError, ConfigValidationError } from '../errors';
import type { Constructor } from '../metadata/registry';

/**
 * Turns the `config` option into what the step sees: an instance of the step's config class
 * (defaults from its field initializers), validated with class-validator before anything is
 * hashed; or the plain object when the step has no config class.
 */
export function bindConfig(configClass: Constructor | null, given: unknown): object {
  if (given !== undefined && (typeof given !== 'object' || given === null || Array.isArray(given))) {
    throw ConfigurationError.invalidOption('config', given, 'an object or a config-class instance');
  }
  if (!configClass) return { ...((given as object | undefined) ?? {}) };
  const instance = given instanceof configClass
    ? given
    : plainToInstance(configClass as new () => object, given ?? {}, { exposeDefaultValues: true });
  const errors = classValidator().validateSync(instance as object, { forbidUnknownValues: false });
  if (errors.length) throw new ConfigValidationError(configClass.name, flatten(errors));
  return instance as object;
}

function flatten(errors: readonly ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const at = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) => (m.startsWith(e.property) ? `${prefix ? `${prefix}.` : ''}${m}` : `${at}: ${m}`));
    return [...own, ...flatten(e.children ?? [], at)];
  });
}
