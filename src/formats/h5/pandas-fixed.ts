import type { Dataset } from 'h5wasm';
import type { Table } from 'apache-arrow';
import { FormatError } from '../../errors';
import { columnsToTable, toVector, type DecodedColumn } from './arrow-columns';
import { dtypeName, H5T, numericCtor, type NumericArray } from './h5-dtype';
import { assertFiltersReadable } from './h5-filters';
import { h5try, readAttrs, type H5File } from './h5-lib';
import { pickledObjectArray } from './pandas-pickle';
import { readRowFields } from './raw-read';

/** A `fixed` frame's index name (`axis1` attr `name`; pickled None → `index`). @internal */
export const indexName = (axis: Dataset | null, fallback = 'index'): string => {
  const name = axis ? readAttrs(axis as never).name : undefined;
  return typeof name === 'string' && name && name !== 'N.' ? name : fallback;
};

/** Column names of a `fixed` frame as {@link readFixed} returns them (index or its levels first). @internal */
export function fixedColumns(file: H5File, key: string, attrs: Record<string, unknown>): string[] {
  const axis0 = ((file.get(`${key}/axis0`) as Dataset | null)?.value as string[] | null) ?? [];
  if (attrs.axis1_variety !== 'multi') return [indexName(file.get(`${key}/axis1`) as Dataset | null), ...axis0];
  const levels = Array.from({ length: Number(attrs.axis1_nlevels ?? 0) }, (_, i) => indexName(file.get(`${key}/axis1_level${i}`) as Dataset | null, `level_${i}`));
  return [...levels, ...axis0];
}

/** Number of rows of a `fixed` frame. @internal */
export function fixedRows(file: H5File, key: string, attrs: Record<string, unknown>): number {
  const axis = file.get(attrs.axis1_variety === 'multi' ? `${key}/axis1_label0` : `${key}/axis1`) as Dataset | null;
  return axis?.shape?.[0] ?? 0;
}

/**
 * A pandas `fixed` frame as Arrow: the index (or each MultiIndex level) first, then the columns in
 * `axis0` order; numeric, bool and datetime blocks are gathered per column straight from the
 * wasm heap; object blocks are parsed from their pickle. @throws FormatError. @internal
 */
export async function readFixed(file: H5File, key: string, attrs: Record<string, unknown>, label: string): Promise<Table> {
  const get = (p: string) => h5try(label, `/${key}/${p}`, () => file.get(`${key}/${p}`) as Dataset | null);
  if (attrs.axis0_variety === 'multi') throw FormatError.unsupportedLayout(label, `/${key}/axis0`, 'MultiIndex columns (flatten them before storing)');
  const byName = new Map<string, DecodedColumn>();
  for (let b = 0; b < Number(attrs.nblocks ?? 0); b++) {
    const items = get(`block${b}_items`)?.value as string[] | null;
    const values = get(`block${b}_values`);
    if (!items || !values) throw FormatError.corrupt(label, `/${key}/block${b}`, 'block items/values missing');
    for (const c of await readBlock(values, items, `/${key}/block${b}_values`, label)) byName.set(c.name, c);
  }
  const order = (get('axis0')?.value as string[] | null) ?? [...byName.keys()];
  const cols = attrs.axis1_variety === 'multi' ? multiIndex(get, Number(attrs.axis1_nlevels ?? 0), `/${key}`, label) : [plainIndex(get('axis1'), `/${key}/axis1`, label)];
  for (const name of order) if (byName.has(name)) cols.push(byName.get(name)!);
  return columnsToTable(cols);
}

/** An index/level dataset's values, typed as its `kind` attr says (`datetime64` → timestamps). */
function axisColumn(ds: Dataset, name: string, place: string, label: string): DecodedColumn {
  const values = h5try(label, place, () => ds.value) as NumericArray | string[];
  const kind = String(readAttrs(ds as never).kind ?? '');
  return { name, values, kind: kind.startsWith('datetime64') && values instanceof BigInt64Array ? 'datetime' : undefined };
}

function plainIndex(axis1: Dataset | null, place: string, label: string): DecodedColumn {
  if (!axis1) throw FormatError.corrupt(label, place, 'the index dataset is missing');
  return axisColumn(axis1, indexName(axis1), place, label);
}

/**
 * A MultiIndex row axis: level `i` is `axis1_level<i>` (its distinct values) indexed by the codes
 * `axis1_label<i>` (-1 = missing), returned as a dictionary column named after the level.
 */
function multiIndex(get: (p: string) => Dataset | null, nlevels: number, place: string, label: string): DecodedColumn[] {
  const out: DecodedColumn[] = [];
  for (let i = 0; i < nlevels; i++) {
    const level = get(`axis1_level${i}`);
    const codes = get(`axis1_label${i}`);
    if (!level || !codes) throw FormatError.corrupt(label, `${place}/axis1_level${i}`, 'a MultiIndex level or its codes are missing');
    const name = indexName(level, `level_${i}`);
    const values = h5try(label, `${place}/axis1_label${i}`, () => codes.value) as NumericArray;
    const categories = toVector(axisColumn(level, name, `${place}/axis1_level${i}`, label));
    out.push({ name, values, kind: 'dictionary', categories });
  }
  return out;
}

/** One `blockN_values` of a fixed frame: a 2-D `[rows, k]` numeric array or a pickled object block. */
async function readBlock(ds: Dataset, items: string[], place: string, label: string): Promise<DecodedColumn[]> {
  const m = ds.metadata;
  assertFiltersReadable(ds, label, place);
  if (m.type === H5T.VLEN) {
    const pickles = h5try(label, place, () => ds.value) as Uint8Array[];
    const values = h5try(label, place, () => pickledObjectArray(pickles[0] ?? new Uint8Array()));
    const k = items.length;
    const n = k === 0 ? 0 : values.length / k;
    return items.map((name, j) => ({ name, values: Array.from({ length: n }, (_, i) => values[i * k + j] ?? null) }));
  }
  const Ctor = numericCtor(m);
  if (!Ctor) throw FormatError.unsupportedLayout(label, place, `pandas block dtype ${dtypeName(m)}`);
  if (m.size > 1 && m.littleEndian === false) throw FormatError.unsupportedLayout(label, place, 'big-endian pandas blocks');
  const kind = dtypeName(m) === 'bool' ? 'bool' : readAttrs(ds as never).value_type === 'datetime64' ? 'datetime' : undefined;
  const el = Ctor.BYTES_PER_ELEMENT;
  const bytes = await readRowFields(ds, label, items.map((_, j) => ({ offset: j * el, width: el })));
  return items.map((name, j) => ({ name, values: new Ctor(bytes[j].buffer, 0, bytes[j].byteLength / el), kind }));
}
