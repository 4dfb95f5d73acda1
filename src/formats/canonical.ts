import { canonicalJson as strictCanonicalJson } from '../identity/canonical';

/**
 * Canonical JSON of file-format attributes: like the config canonicalizer, but values a data file
 * may legitimately hold (NaN, ±Infinity, bigint, typed arrays) become tagged strings/arrays instead
 * of errors. @internal
 */
export function canonicalJson(value: unknown): string {
  return strictCanonicalJson(sanitize(value, 0), 'attributes');
}

function sanitize(v: unknown, depth: number): unknown {
  if (depth > 32) return '(too deep)';
  if (typeof v === 'number') return Number.isFinite(v) ? v : `(number ${v})`;
  if (typeof v === 'bigint') return `(bigint ${v})`;
  if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return null;
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number | bigint>, (x) => sanitize(x, depth + 1));
  if (Array.isArray(v)) return v.map((x) => sanitize(x, depth + 1));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = sanitize(x, depth + 1);
    return out;
  }
  return v;
}
