import type { Tracker } from '../tracker/tracker';

/**
 * What the query services read through: the Tracker's read methods. The CLI, the UI server and the
 * exporters all pass an open Tracker (DESIGN.md: one read path for every consumer).
 */
export type QuerySource = Pick<Tracker, 'sql' | 'getRun' | 'getArtifactsForRun' | 'getArtifact' | 'lineage' | 'findRuns'>;

/** A `"name"` identifier with embedded quotes doubled (the only identifier splice; values are bound). */
export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** A DuckDB value as plain JSON: BIGINT → number (string when unsafe), Date → ISO string. */
export function plainValue(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(plainValue);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plainValue(x)]));
  return v;
}
