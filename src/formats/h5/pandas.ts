import type { Dataset, Group } from 'h5wasm';
import type { Table } from 'apache-arrow';
import { FormatError } from '../../errors';
import { columnsToTable, type DecodedColumn } from './arrow-columns';
import { dtypeName, H5T, numericCtor, type NumericArray } from './h5-dtype';
import { h5try, readAttrs, type H5File } from './h5-lib';
import { pickledNames, pickledObjectArray } from './pandas-pickle';
import { decodeMember, readAllRaw } from './raw-read';

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
    const axis0 = (file.get(`${key}/axis0`) as Dataset | null)?.value as string[] | null;
    const axis1 = file.get(`${key}/axis1`) as Dataset | null;
    return { key, format, columns: [indexName(axis1), ...(axis0 ?? [])], rows: axis1?.shape?.[0] ?? 0 };
  }
  const table = h5try(label, `/${key}/table`, () => file.get(`${key}/table`) as Dataset | null);
  if (!table) throw FormatError.corrupt(label, `/${key}`, 'a pandas table group without its `table` dataset');
  return { key, format, columns: tableColumns(table, attrs).map((c) => c.name), rows: table.shape?.[0] ?? 0 };
}

const indexName = (axis1: Dataset | null): string => {
  const name = axis1 ? readAttrs(axis1 as never).name : undefined;
  return typeof name === 'string' && name && name !== 'N.' ? name : 'index';
};

/** Reads a pandas `fixed` or `table` frame as Arrow (index first). @throws FormatError. @internal */
export async function readPandas(file: H5File, key: string, label: string): Promise<Table> {
  const clean = key.replace(/^\//, '');
  const g = file.get(clean) as Group | null;
  const attrs = g ? readAttrs(g as never) : {};
  if (attrs.pandas_type === 'frame') return readFixed(file, clean, attrs, label);
  if (attrs.pandas_type === 'frame_table') return readTable(file, clean, attrs, label);
  throw FormatError.memberNotFound(label, clean, listPandas(file, label).map((t) => t.key));
}

function readFixed(file: H5File, key: string, attrs: Record<string, unknown>, label: string): Table {
  const get = (p: string) => h5try(label, `/${key}/${p}`, () => file.get(`${key}/${p}`) as Dataset | null);
  const axis1 = get('axis1');
  if (!axis1) throw FormatError.corrupt(label, `/${key}/axis1`, 'the index dataset is missing');
  const byName = new Map<string, DecodedColumn>();
  const nblocks = Number(attrs.nblocks ?? 0);
  for (let b = 0; b < nblocks; b++) {
    const items = get(`block${b}_items`)?.value as string[] | null;
    const values = get(`block${b}_values`);
    if (!items || !values) throw FormatError.corrupt(label, `/${key}/block${b}`, 'block items/values missing');
    for (const c of readBlock(values, items, `/${key}/block${b}_values`, label)) byName.set(c.name, c);
  }
  const order = (get('axis0')?.value as string[] | null) ?? [...byName.keys()];
  const index = h5try(label, `/${key}/axis1`, () => axis1.value) as NumericArray | string[];
  const cols: DecodedColumn[] = [{ name: indexName(axis1), values: index as NumericArray }];
  for (const name of order) if (byName.has(name)) cols.push(byName.get(name)!);
  return columnsToTable(cols);
}

/** One `blockN_values` of a fixed frame: a 2-D `[rows, k]` numeric array or a pickled object block. */
function readBlock(ds: Dataset, items: string[], place: string, label: string): DecodedColumn[] {
  const m = ds.metadata;
  const dsAttrs = readAttrs(ds as never);
  if (m.type === H5T.VLEN) {
    const pickles = h5try(label, place, () => ds.value) as Uint8Array[];
    const values = h5try(label, place, () => pickledObjectArray(pickles[0] ?? new Uint8Array()));
    const k = items.length;
    const n = k === 0 ? 0 : values.length / k;
    return items.map((name, j) => ({ name, values: Array.from({ length: n }, (_, i) => values[i * k + j] ?? null) }));
  }
  const Ctor = numericCtor(m);
  if (!Ctor) throw FormatError.unsupportedLayout(label, place, `pandas block dtype ${dtypeName(m)}`);
  const all = h5try(label, place, () => ds.value) as NumericArray;
  const k = items.length;
  const n = m.shape?.[0] ?? 0;
  const kind = dtypeName(m) === 'bool' ? 'bool' : dsAttrs.value_type === 'datetime64' ? 'datetime' : undefined;
  return items.map((name, j) => {
    if (k === 1) return { name, values: all, kind };
    const col = new Ctor(n);
    for (let i = 0; i < n; i++) col[i] = all[i * k + j];
    return { name, values: col, kind };
  });
}

interface TableColumn { name: string; member: number; sub: number; kind?: 'bool' | 'datetime' }

/** Column layout of a pandas `table`: `index`, `values_block_N` (names from pickled attrs) and data columns. */
function tableColumns(ds: Dataset, groupAttrs: Record<string, unknown>): TableColumn[] {
  const attrs = readAttrs(ds as never);
  const members = ds.metadata.compound_type?.members ?? [];
  const out: TableColumn[] = [];
  members.forEach((m, i) => {
    const dt = String(attrs[`${m.name}_dtype`] ?? '');
    const kind = dt.startsWith('datetime64') ? 'datetime' as const : dt === 'bool' ? 'bool' as const : undefined;
    if (m.name === 'index') {
      const info = String(groupAttrs.info ?? '');
      const named = /Vindex_name\n[^\n]*\nV([^\n]*)\n/.exec(info)?.[1];
      out.push({ name: named || 'index', member: i, sub: 0 });
    } else if (/^values_block_\d+$/.test(m.name)) {
      const names = pickledNames(attrs[`${m.name}_kind`]);
      const k = m.array_type?.shape?.reduce((a, b) => a * b, 1) ?? 1;
      for (let s = 0; s < k; s++) out.push({ name: names[s] ?? `${m.name}_${s}`, member: i, sub: s, kind });
    } else {
      out.push({ name: m.name, member: i, sub: 0, kind });
    }
  });
  return out;
}

/** A pandas `table` frame: the compound is read as raw bytes and decoded column by column. */
async function readTable(file: H5File, key: string, attrs: Record<string, unknown>, label: string): Promise<Table> {
  const ds = h5try(label, `/${key}/table`, () => file.get(`${key}/table`) as Dataset | null);
  if (!ds) throw FormatError.corrupt(label, `/${key}`, 'a pandas table group without its `table` dataset');
  const members = ds.metadata.compound_type?.members ?? [];
  const n = ds.shape?.[0] ?? 0;
  const records = { raw: await readAllRaw(ds, label), nrows: n, recordSize: ds.metadata.size };
  const cols = tableColumns(ds, attrs).map((c): DecodedColumn => {
    const m = members[c.member];
    const base = m.type === H5T.ARRAY && m.array_type ? m.array_type : m;
    const kind = c.kind ?? (dtypeName(base) === 'bool' ? 'bool' : undefined);
    return { name: c.name, values: decodeMember(records, m, c.sub), kind };
  });
  return columnsToTable(cols);
}
