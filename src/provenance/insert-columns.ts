/* Column specs of bulk inserts: plain data, no DuckDB import (the CLI loads row mappings without DuckDB). */

/** How a column's values travel before the INSERT casts them to the table's type. @internal */
export type StageKind = 'text' | 'double' | 'bool';

/** One column of an {@link InsertTarget}: its name, how it is staged, and an optional SQL cast (`TIMESTAMP`, `VARCHAR[]`). @internal */
export interface InsertColumn { name: string; kind: StageKind; cast?: string }

/** Where rows go: `INSERT [OR REPLACE | OR IGNORE] INTO table (columns)`. @internal */
export interface InsertTarget {
  verb: 'INSERT' | 'INSERT OR REPLACE' | 'INSERT OR IGNORE';
  table: string;
  columns: readonly InsertColumn[];
}

/** Text columns named `names` (strings, JSON, timestamps before their cast). @internal */
export const textColumns = (...names: string[]): InsertColumn[] => names.map((name) => ({ name, kind: 'text' }));
/** Number columns named `names`, staged as doubles (integer columns too: the INSERT casts them, as it casts a bound JS number). @internal */
export const numberColumns = (...names: string[]): InsertColumn[] => names.map((name) => ({ name, kind: 'double' }));
