import { promises as fs } from 'node:fs';
import type { Vector, Table } from 'apache-arrow';
import { Arrow } from '../util/arrow-lib';
import { FormatError } from '../errors';

/**
 * A GeoJSON FeatureCollection as an Arrow table: one row per feature, each property a column
 * (numbers stay numbers when every value is one; otherwise text), `geometry` as GeoJSON text
 * (DuckDB has no GeoJSON → GEOMETRY without the spatial extension, reference/formats.md §6). @internal
 */
export async function readGeoJson(path: string, label: string): Promise<Table> {
  let doc: { type?: string; features?: Array<{ properties?: Record<string, unknown>; geometry?: unknown }> };
  try {
    doc = JSON.parse(await fs.readFile(path, 'utf8'));
  } catch (err) {
    throw FormatError.corrupt(label, 'the JSON document', err);
  }
  if (doc?.type !== 'FeatureCollection' || !Array.isArray(doc.features)) {
    throw FormatError.unsupportedLayout(label, 'the root object', `GeoJSON type '${String(doc?.type)}' (expected a FeatureCollection)`);
  }
  const features = doc.features;
  const names = [...new Set(features.flatMap((f) => Object.keys(f.properties ?? {})))];
  const cols: Record<string, Vector> = {};
  for (const name of names) {
    const values = features.map((f) => f.properties?.[name] ?? null);
    const numeric = values.every((v) => v === null || typeof v === 'number');
    cols[name] = numeric ? Arrow.vectorFromArray(values as Array<number | null>) : Arrow.vectorFromArray(values.map((v) => (v === null ? null : typeof v === 'string' ? v : JSON.stringify(v))), new Arrow.Utf8());
  }
  cols.geometry = Arrow.vectorFromArray(features.map((f) => (f.geometry == null ? null : JSON.stringify(f.geometry))), new Arrow.Utf8());
  return new Arrow.Table(cols);
}
