import type { ConsistError } from './consist-error';
import type { ArtifactErrorCode } from './artifact-error';
import type { ConfigErrorCode, ConfigurationErrorCode } from './config-error';
import type { CouplerErrorCode } from './coupler-error';
import type { ExecutionErrorCode } from './execution-error';
import type { FilesystemErrorCode } from './filesystem-error';
import type { FormatErrorCode } from './format-error';
import type { MaintenanceErrorCode } from './maintenance-error';
import type { MetadataErrorCode } from './metadata-error';
import type { ModelConfigErrorCode } from './model-config-error';
import type { CacheErrorCode, RunErrorCode } from './run-error';
import type { StoreErrorCode } from './store-error';
import type { SweepErrorCode } from './sweep-error';
import type { UiErrorCode } from './ui-error';
import type { ViewErrorCode } from './view-error';

/**
 * Every `code` a library error can carry: `switch (e.code)` over it can be exhaustive. (The
 * `consist` command line adds its own `CLI_*` codes.)
 */
export type ErrorCode =
  | ArtifactErrorCode | 'INPUT_NOT_FOUND' | 'OUTPUT_MISSING'
  | ConfigErrorCode | ConfigurationErrorCode
  | CouplerErrorCode
  | ExecutionErrorCode
  | FilesystemErrorCode
  | MaintenanceErrorCode
  | MetadataErrorCode
  | RunErrorCode | CacheErrorCode | 'STEP_FAILED'
  | StoreErrorCode
  | ViewErrorCode
  | FormatErrorCode
  | ModelConfigErrorCode
  | SweepErrorCode
  | UiErrorCode;

const BRAND = Symbol.for('consist:error');

/** True for any error thrown by consist-ts, even across duplicate installs of the package; narrows `code` to {@link ErrorCode}. */
export function isConsistError(value: unknown): value is ConsistError<ErrorCode> {
  if (!(value instanceof Error)) return false;
  let proto: unknown = value.constructor;
  while (proto) {
    if (Object.prototype.hasOwnProperty.call(proto, BRAND)) return true;
    proto = Object.getPrototypeOf(proto);
  }
  return false;
}
