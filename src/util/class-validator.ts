import type * as ClassValidator from 'class-validator';

let loaded: typeof ClassValidator | undefined;

/**
 * `class-validator`, loaded on first use: it costs ≈ 110 ms at start-up and only config and row
 * validation need it, so commands that never validate (`consist runs`, `show`, …) skip it. The
 * module is the same instance user code imports for its decorators (one metadata storage).
 * @internal
 */
export function classValidator(): typeof ClassValidator {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('class-validator') as typeof ClassValidator;
  return loaded;
}
