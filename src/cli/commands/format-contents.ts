import type { ArtifactRow } from './artifacts';

type Meta = Record<string, unknown>;
const list = (v: unknown): Meta[] => (Array.isArray(v) ? (v as Meta[]) : []);
const shape = (v: unknown): string => (Array.isArray(v) ? v.join('×') : '?');
const few = (items: string[], n = 6): string => (items.length > n ? `${items.slice(0, n).join(', ')}, … (${items.length})` : items.join(', '));

/** One line describing what a format artifact holds (its `meta.format`), or undefined. */
function describe(f: Meta): string | undefined {
  switch (f.kind) {
    case 'omx':
      return `${list(f.matrices).length} matrices ${shape(f.shape)}: ${few(list(f.matrices).map((m) => `${m.name} ${m.dtype}`))}`;
    case 'h5': {
      const tables = list(f.tables).map((t) => `${t.key} (${t.format}, ${t.rows} rows × ${list(t.columns).length} cols)`);
      return tables.length ? `${tables.length} pandas tables: ${few(tables, 4)}` : `${f.datasetCount} datasets`;
    }
    case 'zarr':
      return few(list(f.arrays).map((a) => `${a.path || '/'} ${a.dtype} ${shape(a.shape)} v${a.zarrFormat}`), 4);
    case 'gtfs':
      return few(list(f.files).map((x) => `${x.name} ${x.rows}`), 8);
    default:
      return undefined;
  }
}

/** The "Contents" lines of `consist show`: one per artifact whose driver recorded format metadata. */
export function formatContents(rows: readonly ArtifactRow[]): string[] {
  const out: string[] = [];
  for (const r of rows) {
    const f = r.artifact.meta?.format as Meta | undefined;
    const line = f && typeof f === 'object' ? describe(f) : undefined;
    if (line) out.push(`  ${r.key} (${r.artifact.driver}): ${line}`);
  }
  return out;
}
