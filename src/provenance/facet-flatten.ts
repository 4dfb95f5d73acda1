/** Type tag of one flattened facet value. */
export type FacetValueType = 'str' | 'int' | 'float' | 'bool' | 'null' | 'json';

/** One flattened facet entry, as stored in `run_config_kv` / `artifact_kv`. */
export interface FacetKv {
  key: string;
  valueType: FacetValueType;
  valueStr: string | null;
  valueNum: number | null;
  valueBool: boolean | null;
  valueJson: string | null;
}

/** Size guardrails: larger facets stay in the snapshot but are not indexed. */
export const FACET_LIMITS = Object.freeze({ maxKeys: 500, maxJsonBytes: 16_384 });

/** Result of {@link flattenFacet}: rows, or why the facet is too large to index. */
export interface FlattenedFacet { rows: FacetKv[]; indexed: boolean; reason?: 'too_many_keys' | 'too_large' }

const escapeSegment = (s: string) => s.replace(/\\/g, '\\\\').replace(/\./g, '\\.');

function leaf(key: string, value: unknown): FacetKv {
  const base = { key, valueStr: null, valueNum: null, valueBool: null, valueJson: null };
  if (value === null || value === undefined) return { ...base, valueType: 'null' };
  if (typeof value === 'boolean') return { ...base, valueType: 'bool', valueBool: value };
  if (typeof value === 'number') {
    return { ...base, valueType: Number.isInteger(value) ? 'int' : 'float', valueNum: value };
  }
  if (typeof value === 'string') return { ...base, valueType: 'str', valueStr: value };
  return { ...base, valueType: 'json', valueJson: JSON.stringify(value) };
}

function walk(value: unknown, prefix: string, out: FacetKv[]): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      walk(v, prefix ? `${prefix}.${escapeSegment(k)}` : escapeSegment(k), out);
    }
    return;
  }
  out.push(leaf(prefix, value instanceof Date ? value.toISOString() : value));
}

/**
 * Flattens a facet object to dotted key paths (`{a: {'b.c': 1}}` → `a.b\.c`), typed values, and
 * arrays kept whole as JSON leaves. Facets beyond {@link FACET_LIMITS} are not indexed.
 */
export function flattenFacet(facet: Record<string, unknown>, limits = FACET_LIMITS): FlattenedFacet {
  const json = JSON.stringify(facet);
  if (Buffer.byteLength(json) > limits.maxJsonBytes) return { rows: [], indexed: false, reason: 'too_large' };
  const rows: FacetKv[] = [];
  walk(facet, '', rows);
  if (rows.length > limits.maxKeys) return { rows: [], indexed: false, reason: 'too_many_keys' };
  return { rows: rows.filter((r) => r.key !== ''), indexed: true };
}
