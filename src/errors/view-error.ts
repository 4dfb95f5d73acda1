import { ConsistError } from './consist-error';

/** Codes of {@link ViewError}. */
export type ViewErrorCode =
  | 'VIEW_NAME_INVALID'
  | 'VIEW_EXISTS'
  | 'VIEW_FILES_MISSING'
  | 'VIEW_SELECTION_INVALID'
  | 'VIEW_CREATE_FAILED'
  | 'FACET_PREDICATE_INVALID'
  | 'SCHEMA_VALIDATION_FAILED'
  | 'SCHEMA_NOT_FOUND';

/** A view, facet predicate or schema problem in the data plane. */
export class ViewError extends ConsistError<ViewErrorCode> {
  constructor(readonly code: ViewErrorCode, message: string, opts: { details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, opts);
  }
}

/** A facet predicate such as `beam.year>=2018` could not be parsed. */
export class FacetPredicateError extends ViewError {
  constructor(readonly predicate: string, why: string) {
    super('FACET_PREDICATE_INVALID',
      `Facet predicate '${predicate.slice(0, 200)}' is invalid: ${why}. Use key=value, key>=number or key<=number, ` +
        `optionally prefixed by a namespace (ns.key=value).`, { details: { predicate: predicate.slice(0, 300) } });
  }
}

/** One failed check of strict ingestion. */
export interface SchemaViolation { row: number; column: string; constraint: string; message: string }

/** Rows failed a @Table schema during strict ingestion; nothing was written. */
export class SchemaValidationError extends ViewError {
  constructor(readonly table: string, readonly violations: readonly SchemaViolation[]) {
    super('SCHEMA_VALIDATION_FAILED',
      `Rows do not match @Table '${table}'; nothing was written. First failures: ` +
        violations.slice(0, 5).map((v) => `row ${v.row} ${v.column}: ${v.message}`).join('; '),
      { details: { table, violations: violations.slice(0, 20) } });
  }
}
