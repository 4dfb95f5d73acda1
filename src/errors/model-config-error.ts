import { ConsistError } from './consist-error';

/** Codes of {@link ModelConfigError}. */
export type ModelConfigErrorCode =
  | 'CONFIG_SOURCE_NOT_FOUND'
  | 'CONFIG_SYNTAX'
  | 'CONFIG_DUPLICATE_KEY'
  | 'CONFIG_SUBSTITUTION_CYCLE'
  | 'CONFIG_SUBSTITUTION_UNDEFINED'
  | 'CONFIG_INCLUDE_OUTSIDE_ROOT'
  | 'CONFIG_CODE_DIRECTIVE'
  | 'CONFIG_OVERRIDE_INVALID';

/** Where in a config file something went wrong (`file` is relative to the config root). */
export interface ConfigPlace { file: string; line?: number; column?: number }

const at = (p: ConfigPlace): string => `${p.file}${p.line ? `:${p.line}` : ''}${p.line && p.column ? `:${p.column}` : ''}`;

/**
 * A model config (ActivitySim YAML folders, BEAM HOCON files) cannot be read or resolved. Every
 * message names the file and line; `details` carries `file`, `line`, `column` when known.
 */
export class ModelConfigError extends ConsistError<ModelConfigErrorCode> {
  constructor(readonly code: ModelConfigErrorCode, message: string, details?: Record<string, unknown>) {
    super(message, { details });
  }

  /** A config folder or file does not exist. */
  static notFound(what: string, file: string): ModelConfigError {
    return new ModelConfigError('CONFIG_SOURCE_NOT_FOUND', `Config ${what} '${file}' does not exist. Check the path (relative paths are resolved from the current directory).`, { file });
  }

  /** The file is not valid YAML / HOCON. */
  static syntax(place: ConfigPlace, reason: string): ModelConfigError {
    return new ModelConfigError('CONFIG_SYNTAX', `${at(place)}: ${reason}. Fix the file and run again.`, { ...place, reason });
  }

  /** A mapping names the same key twice (PyYAML would silently keep the last one). */
  static duplicateKey(place: ConfigPlace, key: string): ModelConfigError {
    return new ModelConfigError('CONFIG_DUPLICATE_KEY',
      `${at(place)}: key '${key}' appears twice in the same mapping; PyYAML would silently keep the last one. Remove one of them.`, { ...place, key });
  }

  /** Substitutions refer to each other in a loop. */
  static substitutionCycle(place: ConfigPlace, chain: readonly string[]): ModelConfigError {
    return new ModelConfigError('CONFIG_SUBSTITUTION_CYCLE',
      `${at(place)}: substitution cycle ${chain.map((c) => `\${${c}}`).join(' → ')}. Break the loop by giving one of these keys a plain value.`, { ...place, chain: [...chain] });
  }

  /** `${a.b}` names no key and no environment variable. */
  static undefinedSubstitution(place: ConfigPlace, ref: string): ModelConfigError {
    return new ModelConfigError('CONFIG_SUBSTITUTION_UNDEFINED',
      `${at(place)}: substitution \${${ref}} is not defined in the config nor in the environment. Define it, or write \${?${ref}} to make it optional.`, { ...place, ref });
  }

  /** An include points outside the config root, or to the network. */
  static includeOutsideRoot(place: ConfigPlace, target: string, root: string): ModelConfigError {
    return new ModelConfigError('CONFIG_INCLUDE_OUTSIDE_ROOT',
      `${at(place)}: include '${target}' is outside the config root '${root}' (or not a local file). Copy the file under the root, or pass a wider { root }.`, { ...place, target, root });
  }

  /** A directive that would run code (a `.js` include, a `| eval` transform, a `!!python/…` tag). */
  static codeDirective(place: ConfigPlace, what: string): ModelConfigError {
    return new ModelConfigError('CONFIG_CODE_DIRECTIVE',
      `${at(place)}: ${what} would run code and is refused. Replace it with plain values.`, { ...place, what });
  }

  /** An override key or value given to `withOverrides` cannot be applied. */
  static overrideInvalid(key: string, reason: string): ModelConfigError {
    return new ModelConfigError('CONFIG_OVERRIDE_INVALID', `Override '${key}': ${reason}.`, { key, reason });
  }
}
