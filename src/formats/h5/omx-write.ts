import { FormatError } from '../../errors';
import { h5lib } from './h5-lib';

/** What {@link writeOmxFile} writes. */
export interface OmxWriteSpec {
  /** Square matrices, row-major, each `zones × zones` (Float64Array → float64, Float32Array → float32, Int32Array → int32). */
  matrices: Record<string, Float64Array | Float32Array | Int32Array>;
  zones: number;
  /** Lookup vectors under `/lookup` (e.g. zone ids). */
  lookups?: Record<string, Int32Array | Float64Array>;
  /** Per-matrix attributes (units…). */
  attributes?: Record<string, Record<string, string | number>>;
}

/**
 * Writes an OpenMatrix 0.2 file with h5wasm (root `OMX_VERSION`, `SHAPE`; `/data`, `/lookup`) that
 * openmatrix/PyTables read. Typed arrays keep their dtype (h5wasm's `"<f8"` dtype string would
 * silently write float32, reference/formats.md §1a — so no dtype string is passed).
 */
export async function writeOmxFile(path: string, spec: OmxWriteSpec): Promise<void> {
  const h5 = await h5lib();
  for (const [name, m] of Object.entries(spec.matrices)) {
    if (m.length !== spec.zones * spec.zones) throw FormatError.unsupportedLayout(path, `/data/${name}`, `a matrix of ${m.length} values for ${spec.zones} zones`);
  }
  const f = new h5.File(path, 'w');
  try {
    f.create_attribute('OMX_VERSION', '0.2');
    f.create_attribute('SHAPE', new Int32Array([spec.zones, spec.zones]));
    const data = f.create_group('data');
    for (const [name, m] of Object.entries(spec.matrices)) {
      const ds = data.create_dataset({ name, data: m, shape: [spec.zones, spec.zones] });
      for (const [k, v] of Object.entries(spec.attributes?.[name] ?? {})) ds.create_attribute(k, v);
    }
    const lookup = f.create_group('lookup');
    for (const [name, v] of Object.entries(spec.lookups ?? {})) lookup.create_dataset({ name, data: v });
  } finally {
    f.close();
  }
}
