import { metadataKey, readOwn, writeOwn } from './registry';

/** What users write in `@Table(...)`. */
export interface TableOptions {
  /** The table name: hot table `hot.<name>`, view `v_<name>`. */
  name: string;
}

/** What users write in `@Column(...)`. */
export interface ColumnOptions {
  /** DuckDB type (`BIGINT`, `DOUBLE`, `VARCHAR`, `DECIMAL(18,3)`, …); wins over the TypeScript type. */
  type?: string;
  /** Marks the column as (part of) the primary key; implies `nullable: false`. */
  primaryKey?: boolean;
  /** Whether NULL is allowed. Default true (false for primary keys). */
  nullable?: boolean;
  /** The column name in data files and tables, when it is not a valid property name (e.g. `Mass(kg)`). */
  name?: string;
}

/** What `@Column` records for one property. */
export interface ColumnMetadata { property: string; options: ColumnOptions }

/** What `@Table` records. */
export interface TableMetadata { target: Function; options: TableOptions }

// 'table' is the key compile-step checks to recognise schema classes.
const TABLE = metadataKey<TableMetadata>('table');
const COLUMNS = metadataKey<readonly ColumnMetadata[]>('table-columns');

/** The `@Table` record of a class, or undefined. */
export const getTableMetadata = (target: Function): TableMetadata | undefined => readOwn(TABLE, target);

/** Records `@Table` options. @internal */
export const defineTableMetadata = (target: Function, value: TableMetadata): void => writeOwn(TABLE, target, value);

/** True when `value` is a class decorated with `@Table`. */
export const isTableClass = (value: unknown): value is Function =>
  typeof value === 'function' && getTableMetadata(value) !== undefined;

/** `@Column` records of a class, in declaration order. */
export const getColumnMetadata = (target: Function): readonly ColumnMetadata[] => readOwn(COLUMNS, target) ?? [];

/** Adds one `@Column` record (copy-on-write). @internal */
export function addColumnMetadata(target: Function, column: ColumnMetadata): void {
  writeOwn(COLUMNS, target, [...getColumnMetadata(target), Object.freeze({ ...column, options: Object.freeze({ ...column.options }) })]);
}
