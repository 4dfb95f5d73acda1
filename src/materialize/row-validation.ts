import { plainToInstance } from 'class-transformer';
import { classValidator } from '../util/class-validator';
import type { SchemaViolation } from '../errors';
import type { ColumnDefinition, TableDefinition } from '../metadata/compile-table';

/** Violations collected before strict ingestion gives up. */
export const MAX_VIOLATIONS = 20;

const SYSTEM = new Set(['consist_run_id', 'consist_artifact_id', 'consist_year', 'consist_iteration', 'consist_scenario_id']);
const INTEGER = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/;
const NUMBER = /^(FLOAT|DOUBLE|DECIMAL(\(.*\))?)$/;
const TEMPORAL = /^(DATE|TIMESTAMP.*)$/;

/** Why `value` cannot go into a column of `duckType`, or undefined when it can (NULLs are checked separately). */
export function typeMismatch(duckType: string, value: unknown): string | undefined {
  if (INTEGER.test(duckType)) {
    return typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value)) ? undefined : `expected an integer (${duckType})`;
  }
  if (NUMBER.test(duckType)) return typeof value === 'number' || typeof value === 'bigint' ? undefined : `expected a number (${duckType})`;
  if (duckType === 'VARCHAR') return typeof value === 'string' ? undefined : 'expected a string (VARCHAR)';
  if (duckType === 'BOOLEAN') return typeof value === 'boolean' ? undefined : 'expected a boolean (BOOLEAN)';
  if (TEMPORAL.test(duckType)) {
    const ok = value instanceof Date ? !Number.isNaN(value.getTime()) : typeof value === 'number' || (typeof value === 'string' && !Number.isNaN(Date.parse(value)));
    return ok ? undefined : `expected a date (${duckType})`;
  }
  return undefined;
}

function columnViolations(def: TableDefinition, row: Record<string, unknown>, index: number, out: SchemaViolation[]): void {
  for (const col of def.columns) {
    const value = row[col.name];
    if (value === null || value === undefined) {
      if (!col.nullable) out.push({ row: index, column: col.name, constraint: 'notNull', message: 'is NULL but the column is not nullable' });
      continue;
    }
    const why = typeMismatch(col.duckType, value);
    if (why) out.push({ row: index, column: col.name, constraint: 'type', message: `${why}, got ${JSON.stringify(String(value)).slice(0, 40)}` });
  }
}

function validatorViolations(def: TableDefinition, row: Record<string, unknown>, index: number, out: SchemaViolation[]): void {
  const plain: Record<string, unknown> = {};
  for (const col of def.columns) {
    const v = row[col.name];
    // class-validator's number rules reject bigint; Int64 cells within the safe range are numbers to them.
    plain[col.property] = typeof v === 'bigint' && Number.isSafeInteger(Number(v)) ? Number(v) : v ?? undefined;
  }
  const instance = plainToInstance(def.target as new () => object, plain);
  const byProperty = new Map<string, ColumnDefinition>(def.columns.map((c) => [c.property, c]));
  for (const err of classValidator().validateSync(instance, { forbidUnknownValues: false, skipUndefinedProperties: true })) {
    for (const [constraint, message] of Object.entries(err.constraints ?? {})) {
      out.push({ row: index, column: byProperty.get(err.property)?.name ?? err.property, constraint, message });
    }
  }
}

/**
 * Checks rows against a @Table: no undeclared columns, NOT NULL, JS value types against the
 * DuckDB column types, then the class-validator rules of the class. Returns the first
 * {@link MAX_VIOLATIONS} failures (empty when every row passes).
 */
export function validateRows(def: TableDefinition, rows: readonly Record<string, unknown>[]): SchemaViolation[] {
  const out: SchemaViolation[] = [];
  const declared = new Set(def.columns.map((c) => c.name));
  const reported = new Set<string>();
  for (let i = 0; i < rows.length && out.length < MAX_VIOLATIONS; i++) {
    for (const key of Object.keys(rows[i])) {
      if (declared.has(key) || SYSTEM.has(key) || reported.has(key)) continue;
      reported.add(key);
      out.push({ row: i, column: key, constraint: 'undeclaredColumn', message: `is not a @Column of ${def.target.name}` });
    }
    const before = out.length;
    columnViolations(def, rows[i], i, out);
    if (out.length === before) validatorViolations(def, rows[i], i, out);
  }
  return out.slice(0, MAX_VIOLATIONS);
}
