import type { Group } from 'h5wasm';
import type { Table } from 'apache-arrow';
import { FormatError } from '../../errors';
import { h5try, readAttrs, type H5File } from './h5-lib';
import { fixedColumns, fixedRows, readFixed } from './pandas-fixed';
import { readTable, tableColumns, tableDataset } from './pandas-table';

/** A pandas object in an HDFStore: its key (`persons/initialize_households`) and storage format. */
export interface PandasTableInfo {
  key: string;
  format: 'fixed' | 'table';
  columns: string[];
  rows: number;
}

/** Every pandas frame in the file (groups with a `pandas_type` attribute), sorted by key. @internal */
export function listPandas(file: H5File, label: string): PandasTableInfo[] {
  const out: PandasTableInfo[] = [];
  const visit = (path: string, depth: number): void => {
    const g = file.get(path) as Group | null;
    if (!g || typeof (g as Group).keys !== 'function' || depth > 32) return;
    const attrs = readAttrs(g as never);
    const type = attrs.pandas_type;
    if (type === 'frame' || type === 'frame_table') {
      out.push(describe(file, label, { key: path.replace(/^\//, ''), format: type === 'frame' ? 'fixed' : 'table', attrs }));
      return;
    }
    for (const name of g.keys().sort()) {
      const child = path === '/' ? `/${name}` : `${path}/${name}`;
      if (g.get(name) && typeof (g.get(name) as Group).keys === 'function') visit(child, depth + 1);
    }
  };
  h5try(label, 'the group tree', () => visit('/', 0));
  return out;
}

/** One pandas frame group found in the tree: its key, storage format and group attributes. */
interface FrameGroup { key: string; format: 'fixed' | 'table'; attrs: Record<string, unknown> }

function describe(file: H5File, label: string, { key, format, attrs }: FrameGroup): PandasTableInfo {
  if (format === 'fixed') {
    return h5try(label, `/${key}`, () => ({ key, format, columns: fixedColumns(file, key, attrs), rows: fixedRows(file, key, attrs) }));
  }
  const table = tableDataset(file, key, label);
  return { key, format, columns: tableColumns(table, attrs).map((c) => c.name), rows: table.shape?.[0] ?? 0 };
}

/**
 * Reads a pandas `fixed` or `table` frame as Arrow: the index (a MultiIndex as one column per
 * level) first, then the frame's columns; categoricals and MultiIndex levels as dictionary
 * columns, strings as Utf8, datetime64 as timestamp[ns]. @throws FormatError. @internal
 */
export async function readPandas(file: H5File, key: string, label: string): Promise<Table> {
  const clean = key.replace(/^\//, '');
  const g = file.get(clean) as Group | null;
  const attrs = g ? readAttrs(g as never) : {};
  if (attrs.pandas_type === 'frame') return readFixed(file, clean, attrs, label);
  if (attrs.pandas_type === 'frame_table') return readTable(file, clean, attrs, label);
  throw FormatError.memberNotFound(label, clean, listPandas(file, label).map((t) => t.key));
}
