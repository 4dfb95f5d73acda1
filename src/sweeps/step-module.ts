import * as path from 'node:path';
import { SweepError } from '../errors';
import { getDeclaringModule } from '../metadata/declaring-module';

/** Where a worker process imports a step class from. */
export interface StepModuleRef {
  /** Absolute module path (or a package specifier). */
  module: string;
  exportName: string;
}

function loadExports(module: string): Record<string, unknown> | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(module) as Record<string, unknown>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_REQUIRE_ESM') return undefined; // trust the names
    throw err;
  }
}

/**
 * Finds the module and export a worker can import `step` from: the module recorded when the class
 * was declared (or `override.module`), and the export that IS the class (or `override.exportName`).
 * Throws `STEP_NOT_IMPORTABLE` before anything is submitted when a worker could not get it back.
 */
export function resolveStepModule(step: Function, override: Partial<StepModuleRef> = {}): StepModuleRef {
  const declared = getDeclaringModule(step);
  const raw = override.module ?? declared?.file;
  if (!raw) throw SweepError.stepNotImportable(step.name, 'no declaring module was recorded (pass { module, exportName })');
  const module = raw.startsWith('.') ? path.resolve(raw) : raw;
  let exports: Record<string, unknown> | undefined;
  try {
    exports = loadExports(module);
  } catch (err) {
    throw SweepError.stepNotImportable(step.name, `its module ${module} cannot be loaded (${(err as Error).message.split('\n')[0]})`, { module });
  }
  if (!exports) return { module, exportName: override.exportName ?? step.name };
  if (override.exportName !== undefined) {
    if (typeof exports[override.exportName] !== 'function') {
      throw SweepError.stepNotImportable(step.name, `${module} has no export '${override.exportName}'`, { module });
    }
    return { module, exportName: override.exportName };
  }
  const found = Object.keys(exports).find((k) => exports[k] === step);
  if (found) return { module, exportName: found };
  const where = declared?.enclosingFunction ? `it was declared inside function '${declared.enclosingFunction}'` : 'it may be declared inside a function';
  throw SweepError.stepNotImportable(step.name, `it is not an export of ${module} (${where})`, { module });
}
