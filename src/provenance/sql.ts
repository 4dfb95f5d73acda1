/**
 * The one home of SQL quoting. Identifiers from users (view names, column names, table names) are
 * always quoted here; values are bound as parameters, except in statements DuckDB cannot
 * parameterize (COPY targets, CREATE VIEW bodies), which use {@link quoteLiteral}.
 */
import { StoreError } from '../errors';

/** Quotes an SQL identifier: `a"b` → `"a""b"`. Rejects NUL, which DuckDB cannot store. */
export function quoteIdent(name: string): string {
  if (name.includes('\u0000')) throw StoreError.nulInSql('identifier');
  return `"${name.replace(/"/g, '""')}"`;
}

/** Quotes an SQL string literal: `it's` → `'it''s'`. Rejects NUL. */
export function quoteLiteral(value: string): string {
  if (value.includes('\u0000')) throw StoreError.nulInSql('literal');
  return `'${value.replace(/'/g, "''")}'`;
}

/** A schema-qualified, quoted name: `qualify('hot', 'person')` → `"hot"."person"`. */
export function qualify(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}
