import { classValidator } from '../util/class-validator';
import { MetadataError } from '../errors';
import { sha256Hex } from '../identity/hash';
import { propertyType } from './registry';
import { getColumnMetadata, getTableMetadata } from './table-metadata';

/** One compiled column. */
export interface ColumnDefinition {
  /** Column name in data and tables. */
  readonly name: string;
  /** The class property it maps to. */
  readonly property: string;
  /** Normalized DuckDB type, e.g. `BIGINT`, `DECIMAL(18,3)`. */
  readonly duckType: string;
  readonly primaryKey: boolean;
  readonly nullable: boolean;
}

/** The compiled, frozen form of a `@Table` class. */
export interface TableDefinition {
  readonly name: string;
  readonly columns: readonly ColumnDefinition[];
  /** sha256 of the ordered (column name, type) list; equal for an equal file schema. */
  readonly schemaId: string;
  readonly target: Function;
}

/** A (name, type) pair of a schema, as stored in `artifact_schema_field`. */
export interface SchemaField { name: string; type: string }

const ALIASES: Readonly<Record<string, string>> = {
  INT: 'INTEGER', INT4: 'INTEGER', SIGNED: 'INTEGER', INT8: 'BIGINT', LONG: 'BIGINT', INT2: 'SMALLINT',
  SHORT: 'SMALLINT', INT1: 'TINYINT', FLOAT8: 'DOUBLE', FLOAT4: 'FLOAT', REAL: 'FLOAT', STRING: 'VARCHAR',
  TEXT: 'VARCHAR', CHAR: 'VARCHAR', BPCHAR: 'VARCHAR', BOOL: 'BOOLEAN', LOGICAL: 'BOOLEAN', DATETIME: 'TIMESTAMP',
  TIMESTAMPTZ: 'TIMESTAMP WITH TIME ZONE',
};
const TYPE_SYNTAX = /^[A-Z][A-Z0-9_ ]*(\(\s*\d+(\s*,\s*\d+)?\s*\))?(\[\])?$/;

/**
 * Normalizes a DuckDB type name so that declared and observed schemas hash alike: upper case,
 * single spaces, aliases resolved (`INT` → `INTEGER`, `TEXT` → `VARCHAR`). Undefined when the text
 * is not a plain type name (types are spliced into DDL, so anything else is refused).
 */
export function normalizeDuckType(type: string): string | undefined {
  const t = type.trim().toUpperCase().replace(/\s+/g, ' ').replace(/\s*([(),])\s*/g, '$1');
  if (!TYPE_SYNTAX.test(t)) return undefined;
  return ALIASES[t] ?? t;
}

/** The stable id of an ordered list of (name, type) fields: sha256 hex of their canonical JSON. */
export function schemaIdOf(fields: readonly SchemaField[]): string {
  return sha256Hex(JSON.stringify(fields.map((f) => [f.name, normalizeDuckType(f.type) ?? f.type])));
}

const cache = new WeakMap<Function, TableDefinition>();
/** Every compiled table by schema id (the last compiled wins when two tables share columns). */
const bySchemaId = new Map<string, TableDefinition>();

/** The compiled `@Table` with this schema id, when this process compiled one (e.g. by logging an artifact with it). */
export function compiledTableBySchemaId(schemaId: string): TableDefinition | undefined {
  return bySchemaId.get(schemaId);
}

/** Compiles a `@Table` class once into a frozen {@link TableDefinition}; bad declarations are `MetadataError`s. */
export function compileTable(target: Function): TableDefinition {
  const hit = cache.get(target);
  if (hit) return hit;
  const meta = getTableMetadata(target);
  if (!meta) throw MetadataError.missingDecorator(target, '@Table');
  const columns = getColumnMetadata(target).map((c) => compileColumn(target, c.property, c.options));
  if (columns.length === 0) throw MetadataError.invalidOption(target, 'columns', 'a @Table class needs at least one @Column');
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c.name.toLowerCase())) throw MetadataError.duplicateKey(target, 'column', c.name);
    seen.add(c.name.toLowerCase());
  }
  const def: TableDefinition = Object.freeze({
    name: meta.options.name, columns: Object.freeze(columns), target,
    schemaId: schemaIdOf(columns.map((c) => ({ name: c.name, type: c.duckType }))),
  });
  cache.set(target, def);
  bySchemaId.set(def.schemaId, def);
  return def;
}

function compileColumn(target: Function, property: string, options: import('./table-metadata').ColumnOptions): ColumnDefinition {
  const name = options.name ?? property;
  if (typeof name !== 'string' || !name || name.includes('\u0000')) {
    throw MetadataError.invalidOption(target, `${property}.name`, 'expected a non-empty column name');
  }
  const duckType = options.type !== undefined ? normalizeDuckType(options.type) : inferDuckType(target, property);
  if (!duckType) {
    throw MetadataError.invalidOption(target, `${property}.type`, options.type !== undefined
      ? `'${options.type}' is not a DuckDB type name`
      : 'its TypeScript type (an enum, union, interface or any) has no DuckDB type; pass @Column({ type: ... })');
  }
  const primaryKey = options.primaryKey === true;
  return Object.freeze({ name, property, duckType, primaryKey, nullable: primaryKey ? false : options.nullable ?? true });
}

function inferDuckType(target: Function, property: string): string | undefined {
  const type = propertyType(target.prototype as object, property);
  if (type === Number) return hasIsInt(target, property) ? 'BIGINT' : 'DOUBLE';
  if (type === String) return 'VARCHAR';
  if (type === Boolean) return 'BOOLEAN';
  if (type === Date) return 'TIMESTAMP';
  if (type === BigInt) return 'BIGINT';
  return undefined;
}

function hasIsInt(target: Function, property: string): boolean {
  return classValidator().getMetadataStorage()
    .getTargetValidationMetadatas(target, '', true, false)
    .some((m) => m.propertyName === property && m.name === 'isInt');
}
