import type * as arrow from 'apache-arrow';
import { Arrow } from '../util/arrow-lib';
import { makeArrowBuilder, unsupportedType, type ArrowCell } from './arrow-types';

type Kind = 'null' | 'int' | 'float' | 'bigint' | 'bool' | 'string' | 'date' | 'mixed';

const KIND_TYPE: Record<Kind, () => arrow.DataType> = {
  null: () => new Arrow.Null(), int: () => new Arrow.Int64(), bigint: () => new Arrow.Int64(),
  float: () => new Arrow.Float64(), bool: () => new Arrow.Bool(), string: () => new Arrow.Utf8(),
  mixed: () => new Arrow.Utf8(), date: () => new Arrow.TimestampMillisecond(),
};

const KIND_CELL: Record<Kind, (v: unknown) => ArrowCell | null> = {
  null: () => null, int: (v) => BigInt(v as number), bigint: (v) => BigInt(v as bigint),
  float: (v) => v as number, bool: (v) => v as boolean, string: (v) => v as string,
  mixed: (v) => (v instanceof Date ? v.toISOString() : String(v)),
  date: (v) => { const t = (v as Date).getTime(); return Number.isNaN(t) ? null : BigInt(t); },
};

function kindOf(value: unknown, column: string): Kind {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'number': return Number.isSafeInteger(value) ? 'int' : 'float';
    case 'bigint': return 'bigint';
    case 'boolean': return 'bool';
    case 'string': return 'string';
  }
  if (value instanceof Date) return 'date';
  throw unsupportedType(Array.isArray(value) ? 'List (an array value)' : `Struct (${Object.prototype.toString.call(value)})`, column);
}

function mergeKinds(a: Kind, b: Kind): Kind {
  if (a === b || b === 'null') return a;
  if (a === 'null') return b;
  const pair = [a, b].sort().join('+');
  return pair === 'float+int' ? 'float' : pair === 'bigint+int' ? 'bigint' : 'mixed';
}

/** An Arrow table of one record batch from its columns' Data. @internal */
export function tableOf(fields: arrow.Field[], children: arrow.Data[], length: number): arrow.Table {
  const schema = new Arrow.Schema(fields);
  const data = Arrow.makeData({ type: new Arrow.Struct(fields), length, nullCount: 0, children });
  return new Arrow.Table(schema, [new Arrow.RecordBatch(schema, data)]);
}

/**
 * Builds an Arrow table from row objects. Columns appear in first-seen order across all rows, and
 * each column's type is inferred over ALL rows: every value a safe integer → Int64 (BigInt64 data,
 * so `get()` returns `bigint`); other numbers → Float64; bigint → Int64; boolean → Bool; string →
 * Utf8; Date → Timestamp(ms) (an invalid Date is null); integers mixed with floats → Float64;
 * other mixes → Utf8 of `String(value)` (Dates as ISO strings). null/undefined/missing are nulls;
 * an all-null column is of type Null.
 * @throws ArtifactError `ARTIFACT_UNSUPPORTED_FORMAT` for array or object values.
 */
export function rowsToArrow(rows: readonly Record<string, unknown>[]): arrow.Table {
  const kinds = new Map<string, Kind>();
  for (const row of rows) {
    for (const key of Object.keys(row)) kinds.set(key, mergeKinds(kinds.get(key) ?? 'null', kindOf(row[key], key)));
  }
  const fields: arrow.Field[] = [];
  const children: arrow.Data[] = [];
  for (const [name, kind] of kinds) {
    const type = KIND_TYPE[kind]();
    const builder = makeArrowBuilder(type, rows.length);
    const cell = KIND_CELL[kind];
    rows.forEach((row, i) => {
      const v = row[name];
      builder.set(i, v === null || v === undefined ? null : cell(v));
    });
    fields.push(new Arrow.Field(name, type, true));
    children.push(builder.finish());
  }
  return tableOf(fields, children, rows.length);
}

