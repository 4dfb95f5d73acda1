import { ConsistError } from './consist-error';

/** Codes of {@link ConfigError}. */
export type ConfigErrorCode = 'CONFIG_NOT_CANONICAL' | 'CONFIG_VALIDATION_FAILED';

/** A step config cannot be canonicalized for hashing, or fails its class-validator rules. */
export class ConfigError extends ConsistError<ConfigErrorCode> {
  constructor(readonly code: ConfigErrorCode, message: string, details?: Record<string, unknown>) {
    super(message, { details });
  }

  /** A value at `path` (e.g. `config.weights[3]`) has no canonical JSON form. */
  static notCanonical(path: string, what: string): ConfigError {
    return new ConfigError('CONFIG_NOT_CANONICAL',
      `${path} is ${what}, which cannot be hashed reproducibly. Replace it with a plain JSON value ` +
        `(string, finite number, boolean, null, array or object), or pass it through 'runtime' if it must not be hashed.`,
      { path, what });
  }
}

/** The config failed its class-validator constraints; `violations` lists every message. */
export class ConfigValidationError extends ConfigError {
  constructor(readonly configClass: string, readonly violations: readonly string[]) {
    super('CONFIG_VALIDATION_FAILED',
      `Config ${configClass} is invalid: ${violations.join('; ')}. Fix the values and run again.`,
      { configClass, violations });
  }
}

/** Codes of {@link ConfigurationError}. */
export type ConfigurationErrorCode = 'CONFIGURATION_INVALID';

/** A runtime option passed to the library (a path, a mode, an option type) is invalid. */
export class ConfigurationError extends ConsistError<ConfigurationErrorCode> {
  readonly code = 'CONFIGURATION_INVALID' as const;

  static invalidOption(option: string, value: unknown, expected: string): ConfigurationError {
    let shown: string;
    try { shown = JSON.stringify(value) ?? String(value); } catch { shown = String(value); }
    if (shown.length > 120) shown = `${shown.slice(0, 117)}...`;
    return new ConfigurationError(`Option '${option}' is ${shown}; expected ${expected}.`, {
      details: { option, expected },
    });
  }
}
