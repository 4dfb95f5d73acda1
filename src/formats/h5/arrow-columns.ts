import { Bool, makeVector, TimestampNanosecond, Utf8, vectorFromArray, type Vector, Table } from 'apache-arrow';
import type { NumericArray } from './h5-dtype';

/** A decoded column and how to type it in Arrow. @internal */
export interface DecodedColumn {
  name: string;
  values: NumericArray | unknown[];
  /** `bool` (uint8 0/1), `datetime` (int64 ns since epoch) or plain. */
  kind?: 'bool' | 'datetime';
}

/** Builds an Arrow vector without per-row objects for numeric data (typed arrays are used as is). @internal */
export function toVector(c: DecodedColumn): Vector {
  const v = c.values;
  if (c.kind === 'bool') return vectorFromArray(Array.from(v as ArrayLike<number>, (x) => (x === null ? null : Boolean(x))), new Bool());
  if (c.kind === 'datetime' && v instanceof BigInt64Array) {
    return vectorFromArray(Array.from(v, (x) => (x === -9223372036854775808n ? null : Number(x / 1_000_000n))), new TimestampNanosecond());
  }
  if (ArrayBuffer.isView(v)) return makeVector(v as never);
  if (v.every((x) => x === null || typeof x === 'string')) return vectorFromArray(v as (string | null)[], new Utf8());
  return vectorFromArray(v.map((x) => (x === null || x === undefined ? null : String(x))), new Utf8());
}

/** An Arrow table from decoded columns, in order (a repeated name gets a `_2` suffix). @internal */
export function columnsToTable(cols: readonly DecodedColumn[]): Table {
  const vectors: Record<string, Vector> = {};
  for (const c of cols) {
    let name = c.name;
    for (let i = 2; name in vectors; i++) name = `${c.name}_${i}`;
    vectors[name] = toVector(c);
  }
  return new Table(vectors);
}
