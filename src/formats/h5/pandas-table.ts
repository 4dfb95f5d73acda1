import type { CompoundMember, Dataset, Metadata } from 'h5wasm';
import type { Table, Vector } from 'apache-arrow';
import { FormatError } from '../../errors';
import { columnsToTable, toVector, type DecodedColumn } from './arrow-columns';
import { dtypeName, H5T, numericCtor } from './h5-dtype';
import { h5try, readAttrs, type H5File } from './h5-lib';
import { pickledNames } from './pandas-pickle';
import { readRowFields } from './raw-read';

/** One column of a pandas `table` frame: the compound member (and sub-column of an array member) it lives in. */
interface TableColumn {
  name: string;
  member: number;
  sub: number;
  /** From `<member>_dtype` / `index_kind` / `<member>_meta`. */
  kind?: 'bool' | 'datetime' | 'category';
}

const kindOf = (dtype: unknown, meta?: unknown): TableColumn['kind'] => {
  if (meta === 'category') return 'category';
  const dt = String(dtype ?? '');
  return dt.startsWith('datetime64') ? 'datetime' : dt === 'bool' ? 'bool' : undefined;
};

/**
 * Column layout of a pandas `table` in the order pandas returns it: the index (or, for a
 * MultiIndex frame, its levels), then the frame's columns as listed in `non_index_axes` (values
 * blocks group columns by dtype; their names come from the pickled `<block>_kind` attrs). @internal
 */
export function tableColumns(ds: Dataset, groupAttrs: Record<string, unknown>): TableColumn[] {
  const attrs = readAttrs(ds as never);
  const members = ds.metadata.compound_type?.members ?? [];
  const levels = groupAttrs.table_type === 'appendable_multiframe' ? pickledNames(groupAttrs.levels) : [];
  const index: TableColumn[] = [];
  const byName = new Map<string, TableColumn>();
  members.forEach((m, i) => {
    if (m.name === 'index') {
      if (levels.length > 0) return; // a MultiIndex frame's `index` is a RangeIndex pandas drops
      const named = /Vindex_name\n[^\n]*\nV([^\n]*)\n/.exec(String(groupAttrs.info ?? ''))?.[1];
      index.push({ name: named || 'index', member: i, sub: 0, kind: kindOf(attrs.index_kind) });
      return;
    }
    const kind = kindOf(attrs[`${m.name}_dtype`], attrs[`${m.name}_meta`]);
    if (/^values_block_\d+$/.test(m.name)) {
      const names = pickledNames(attrs[`${m.name}_kind`]);
      const k = m.array_type?.shape?.reduce((a, b) => a * b, 1) ?? 1;
      for (let s = 0; s < k; s++) byName.set(names[s] ?? `${m.name}_${s}`, { name: names[s] ?? `${m.name}_${s}`, member: i, sub: s, kind });
    } else {
      byName.set(m.name, { name: m.name, member: i, sub: 0, kind });
    }
  });
  const ordered = [...levels, ...pickledNames(groupAttrs.non_index_axes).filter((n) => !levels.includes(n))];
  const out = [...index];
  for (const name of ordered) {
    const c = byName.get(name);
    if (c) out.push(c);
    byName.delete(name);
  }
  return [...out, ...byName.values()];
}

/** The scalar type of a member (the element type of an array member). */
const baseOf = (m: CompoundMember): Metadata => (m.type === H5T.ARRAY && m.array_type ? m.array_type : m);

/**
 * A pandas `table` frame as Arrow: the compound is read into the wasm heap in slices and every
 * column gathered straight into its packed buffer (strings, bools, datetimes and categoricals too).
 * @throws FormatError `FORMAT_CORRUPT`, `FORMAT_UNSUPPORTED_LAYOUT`. @internal
 */
export async function readTable(file: H5File, key: string, attrs: Record<string, unknown>, label: string): Promise<Table> {
  const ds = tableDataset(file, key, label);
  return columnsToTable(await decodeTable(file, { key, ds, attrs, label }));
}

/** The `table` dataset of a pandas table group. @throws FormatError `FORMAT_CORRUPT`. @internal */
export function tableDataset(file: H5File, key: string, label: string): Dataset {
  const ds = h5try(label, `/${key}/table`, () => file.get(`${key}/table`) as Dataset | null);
  if (!ds || ds.metadata.type !== H5T.COMPOUND) throw FormatError.corrupt(label, `/${key}`, 'a pandas table group without its compound `table` dataset');
  return ds;
}

/** What {@link decodeTable} reads: the group `key`, its `table` dataset and group attributes. */
interface TableSource { key: string; ds: Dataset; attrs: Record<string, unknown>; label: string }

async function decodeTable(file: H5File, src: TableSource): Promise<DecodedColumn[]> {
  const { ds, label } = src;
  const members = ds.metadata.compound_type?.members ?? [];
  const layout = tableColumns(ds, src.attrs);
  const place = `/${src.key}/table`;
  for (const c of layout) {
    const base = baseOf(members[c.member]);
    if (base.type !== H5T.STRING && !numericCtor(base)) throw FormatError.unsupportedLayout(label, `${place} column ${c.name}`, `pandas column dtype ${dtypeName(base)}`);
    if (base.type !== H5T.STRING && base.size > 1 && base.littleEndian === false) throw FormatError.unsupportedLayout(label, `${place} column ${c.name}`, 'big-endian pandas columns');
  }
  const bytes = await readRowFields(ds, label, layout.map((c) => {
    const m = members[c.member];
    return { offset: m.offset + c.sub * baseOf(m).size, width: baseOf(m).size };
  }));
  const nanRep = typeof src.attrs.nan_rep === 'string' ? src.attrs.nan_rep : undefined;
  const out: DecodedColumn[] = [];
  for (const [i, c] of layout.entries()) {
    const base = baseOf(members[c.member]);
    const raw = bytes[i];
    if (base.type === H5T.STRING) {
      out.push({ name: c.name, values: raw, kind: 'fixed-utf8', width: base.size, nanRep: c.member === 0 ? undefined : nanRep });
      continue;
    }
    const Ctor = numericCtor(base)!;
    const values = new Ctor(raw.buffer, 0, raw.byteLength / Ctor.BYTES_PER_ELEMENT);
    if (c.kind === 'category') {
      const categories = await readCategories(file, `${src.key}/meta/${members[c.member].name}/meta`, label);
      out.push({ name: c.name, values, kind: 'dictionary', categories });
    } else {
      out.push({ name: c.name, values, kind: c.kind ?? (dtypeName(base) === 'bool' ? 'bool' : undefined) });
    }
  }
  return out;
}

/**
 * The categories of a pandas categorical `table` column: a `series_table` stored under
 * `<key>/meta/<block>/meta` whose `values` column lists them in code order.
 */
async function readCategories(file: H5File, metaKey: string, label: string): Promise<Vector> {
  const g = h5try(label, `/${metaKey}`, () => file.get(metaKey));
  if (!g) throw FormatError.corrupt(label, `/${metaKey}`, 'the categories of a categorical column are missing');
  const attrs = readAttrs(g as never);
  const ds = tableDataset(file, metaKey, label);
  const cols = await decodeTable(file, { key: metaKey, ds, attrs: { ...attrs, nan_rep: undefined }, label });
  const values = cols.find((c) => c.name === 'values') ?? cols[cols.length - 1];
  if (!values) throw FormatError.corrupt(label, `/${metaKey}`, 'a categories table without columns');
  return toVector(values);
}
