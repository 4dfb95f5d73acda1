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

  static nameInvalid(name: unknown, why: string): ViewError {
    return new ViewError('VIEW_NAME_INVALID', `View name ${JSON.stringify(String(name)).slice(0, 80)} is invalid: ${why}.`,
      { details: { name: String(name).slice(0, 300) } });
  }
  static exists(name: string): ViewError {
    return new ViewError('VIEW_EXISTS', `View already exists: '${name}'. Pass ifExists: 'replace' to recreate it.`, { details: { name } });
  }
  static filesMissing(name: string, paths: readonly string[]): ViewError {
    return new ViewError('VIEW_FILES_MISSING',
      `View '${name}' selects ${paths.length} missing file(s), e.g. '${paths[0]}'. Restore them, or pass ` +
        `missingFiles: 'warn' or 'skip_silent' to leave them out.`, { details: { name, paths: paths.slice(0, 20) } });
  }
  static selectionInvalid(why: string): ViewError {
    return new ViewError('VIEW_SELECTION_INVALID', `Invalid view selection: ${why}.`);
  }
  static createFailed(name: string, cause: unknown): ViewError {
    const why = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    return new ViewError('VIEW_CREATE_FAILED', `Could not create view '${name}': ${why}`, { details: { name }, cause });
  }
  static schemaNotFound(ref: string): ViewError {
    return new ViewError('SCHEMA_NOT_FOUND',
      `No schema is recorded for '${ref}'. Log the artifact with profileSchema: true or schema: <@Table class>.`, { details: { ref } });
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
