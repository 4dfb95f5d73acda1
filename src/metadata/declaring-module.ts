import * as path from 'node:path';
import type { Constructor } from './registry';
import { metadataKey, readOwn, writeOwn } from './registry';

/** Where a step class was declared: the file a worker process imports to get the class back. */
export interface DeclaringModule {
  /** Absolute path of the module file whose top-level code applied the decorator. */
  file: string;
  /** Function the decorator ran in (`null` at a module's top level, as far as V8 can tell). */
  enclosingFunction: string | null;
}

const DECLARED_IN = metadataKey<DeclaringModule>('declared-in');

/** The library's own folder (src/ or dist/): frames in it are never the declaring module. */
const LIBRARY_ROOT = path.resolve(__dirname, '..');

function isLibraryOrInternal(file: string): boolean {
  return file.startsWith('node:') || !path.isAbsolute(file) || file.startsWith(LIBRARY_ROOT + path.sep) ||
    file.includes(`${path.sep}node_modules${path.sep}`);
}

const DECORATOR_HELPERS = new Set(['__decorate', '__esDecorate', '__runInitializers', 'DecorateConstructor']);

/** The first stack frame outside the library, node internals and node_modules. */
function callerOutsideLibrary(): DeclaringModule | undefined {
  const original = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = 30;
    Error.prepareStackTrace = (_err, frames) => frames;
    const frames = new Error().stack as unknown as NodeJS.CallSite[];
    for (const frame of frames ?? []) {
      let file = frame.getFileName() ?? '';
      if (file.startsWith('file://')) file = new URL(file).pathname;
      const fn = frame.getFunctionName();
      // TypeScript emits its decorator helpers into the user's module: skip them too.
      if (!file || isLibraryOrInternal(file) || (fn && DECORATOR_HELPERS.has(fn))) continue;
      return { file, enclosingFunction: fn && fn !== 'Object.<anonymous>' ? fn : null };
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    Error.prepareStackTrace = original;
    Error.stackTraceLimit = limit;
  }
}

/**
 * Records the module declaring `target` (from the stack at decoration time), so that a worker
 * process of `tracker.map` can import the class again. Best effort: nothing is recorded when the
 * stack names no file. @internal
 */
export function recordDeclaringModule(target: Constructor): void {
  const found = callerOutsideLibrary();
  if (found) writeOwn(DECLARED_IN, target, found);
}

/** Where `target` was declared, when {@link recordDeclaringModule} could tell. */
export const getDeclaringModule = (target: Function): DeclaringModule | undefined => readOwn(DECLARED_IN, target);
