import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { h5lib } from '../../src/formats/h5/h5-lib';

/** A fresh temp dir for format fixtures. */
export const tempDir = (prefix = 'fmt-'): string => mkdtempSync(join(tmpdir(), prefix));

/** The committed pandas HDFStore (PyTables-written; see test/fixtures/formats/make_pipeline.py). */
export const PIPELINE_H5 = join(__dirname, '..', 'fixtures', 'formats', 'pipeline.h5');

/** Writes an OMX file with h5wasm: `n × n` matrices `time` and `dist`, lookup `zone_id`. */
export async function writeOmx(path: string, opts: { n?: number; scale?: number; chunked?: boolean; title?: string } = {}): Promise<string> {
  const h5 = await h5lib();
  const n = opts.n ?? 4;
  const f = new h5.File(path, 'w');
  try {
    f.create_attribute('OMX_VERSION', '0.2');
    f.create_attribute('SHAPE', new Int32Array([n, n]));
    if (opts.title) f.create_attribute('TITLE', opts.title); // writer bookkeeping (PyTables): not content
    const data = f.create_group('data');
    for (const [name, k] of [['time', 1], ['dist', 10]] as const) {
      const v = new Float64Array(n * n).map((_, i) => (i + 1) * k * (opts.scale ?? 1));
      const ds = opts.chunked
        ? data.create_dataset({ name, data: v, shape: [n, n], chunks: [Math.max(1, n >> 1), n], compression: 'gzip', compression_opts: 4 })
        : data.create_dataset({ name, data: v, shape: [n, n] });
      ds.create_attribute('units', name === 'time' ? 'min' : 'km');
    }
    f.create_group('lookup').create_dataset({ name: 'zone_id', data: new Int32Array(n).map((_, i) => 101 + i) });
  } finally {
    f.close();
  }
  return path;
}
