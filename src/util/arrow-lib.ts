import type * as ArrowModule from 'apache-arrow';

let lib: typeof ArrowModule | undefined;

/**
 * The apache-arrow module, loaded on first use. Its `require` costs ≈ 50 ms of a process's start-up
 * (a tenth of `Tracker.open` in a new process, measured with a `Module._load` hook), and opening a
 * tracker, recording runs, cache hits and the CLI's provenance commands never touch Arrow: only
 * loading, writing and viewing tables do. @internal
 */
export function arrowLib(): typeof ArrowModule {
  lib ??= require('apache-arrow') as typeof ArrowModule;
  return lib;
}

/**
 * apache-arrow's values (classes, enums, functions) behind a lazy proxy: `Arrow.Table`,
 * `new Arrow.Int32()`, `Arrow.Type.Utf8` load the module on first access. Modules import Arrow's
 * types with `import type * as arrow from 'apache-arrow'` and its values from here, so that
 * requiring them does not load Arrow. Do not read it at module top level. @internal
 */
export const Arrow: typeof ArrowModule = new Proxy({} as typeof ArrowModule, {
  get: (_target, key) => (arrowLib() as unknown as Record<PropertyKey, unknown>)[key],
});
