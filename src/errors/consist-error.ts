const BRAND = Symbol.for('consist:error');

/** Options every {@link ConsistError} accepts. */
export interface ConsistErrorOptions {
  /** The underlying error this one wraps. */
  cause?: unknown;
  /** Structured details a caller may inspect (paths, keys, run ids). */
  details?: Readonly<Record<string, unknown>>;
}

/**
 * Base class of every error the library throws. `code` is stable across releases: match on it,
 * never on the message text.
 */
export abstract class ConsistError<C extends string = string> extends Error {
  static readonly [BRAND] = true;
  abstract readonly code: C;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(message: string, options: ConsistErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.details = Object.freeze({ ...(options.details ?? {}) });
  }
}

/** Describes an unknown thrown value in one line (for messages that wrap user errors). */
export function describeError(value: unknown): string {
  if (value instanceof Error) return value.message;
  try {
    return typeof value === 'string' ? value : JSON.stringify(value);
  } catch {
    return String(value);
  }
}
