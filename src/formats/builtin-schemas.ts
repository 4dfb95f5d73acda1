import { ConfigurationError } from '../errors';
import { GTFS_SCHEMAS } from './gtfs/gtfs-schemas';

/** The library's built-in `@Table` sets, by the name given to `Tracker.open({ builtinSchemas })`. */
export const BUILTIN_SCHEMAS = Object.freeze({ gtfs: GTFS_SCHEMAS });

/** A name accepted in `builtinSchemas` (`'gtfs'`). */
export type BuiltinSchemaSet = keyof typeof BUILTIN_SCHEMAS;

/**
 * The schema map of a tracker opened with user `schemas` S and built-in sets B: with no typed user
 * schemas (S is the open default) only the built-ins, else both.
 */
export type WithBuiltinSchemas<S extends Record<string, Function>, B extends BuiltinSchemaSet> =
  [B] extends [never] ? S : string extends keyof S ? (typeof BUILTIN_SCHEMAS)[B] : S & (typeof BUILTIN_SCHEMAS)[B];

/**
 * The classes of the named built-in sets, merged (view property → class); validated before anything
 * is opened. @throws ConfigurationError `CONFIGURATION_INVALID` for a value that is not an array of
 * known names. @internal
 */
export function builtinSchemaClasses(names: unknown): Record<string, Function> {
  if (names === undefined) return {};
  const known = Object.keys(BUILTIN_SCHEMAS);
  if (!Array.isArray(names) || names.some((n) => typeof n !== 'string' || !known.includes(n))) {
    throw ConfigurationError.invalidOption('builtinSchemas', names, `an array of built-in schema set names (${known.map((k) => `'${k}'`).join(', ')})`);
  }
  return Object.assign({}, ...names.map((n: BuiltinSchemaSet) => BUILTIN_SCHEMAS[n])) as Record<string, Function>;
}
