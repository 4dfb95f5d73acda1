import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { encodeBytes } from '../../src/formats/zarr/zarr-codecs';

/** Writes a v2 store holding one 5×6 float64 array (values 0..29), chunks 2×4, with `codec` (null = none). */
export async function writeZarrV2(dir: string, opts: { codec?: Record<string, unknown> | null; skipChunk?: string } = {}): Promise<string> {
  const shape = [5, 6];
  const chunks = [2, 4];
  await fs.mkdir(dir, { recursive: true });
  const codec = opts.codec === undefined ? null : opts.codec;
  await fs.writeFile(join(dir, '.zarray'), JSON.stringify({ zarr_format: 2, shape, chunks, dtype: '<f8', compressor: codec, fill_value: 0, order: 'C', filters: null }));
  await fs.writeFile(join(dir, '.zattrs'), JSON.stringify({ _ARRAY_DIMENSIONS: ['origin', 'destination'], units: 'min' }));
  for (let ci = 0; ci < 3; ci++) {
    for (let cj = 0; cj < 2; cj++) {
      const key = `${ci}.${cj}`;
      if (key === opts.skipChunk) continue;
      const data = new Float64Array(chunks[0] * chunks[1]);
      for (let i = 0; i < chunks[0]; i++) {
        for (let j = 0; j < chunks[1]; j++) {
          const [r, c] = [ci * chunks[0] + i, cj * chunks[1] + j];
          data[i * chunks[1] + j] = r < shape[0] && c < shape[1] ? r * shape[1] + c : 0;
        }
      }
      const bytes = new Uint8Array(data.buffer);
      await fs.writeFile(join(dir, key), codec ? await encodeBytes({ name: String(codec.id), config: codec }, bytes) : bytes);
    }
  }
  return dir;
}

/** The same 5×6 array as a v3 store (chunks 3×3, codecs bytes + `codec`). */
export async function writeZarrV3(dir: string, codec: { name: string; configuration?: Record<string, unknown> } | null): Promise<string> {
  const shape = [5, 6];
  const chunks = [3, 3];
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(join(dir, 'zarr.json'), JSON.stringify({
    zarr_format: 3, node_type: 'array', shape, data_type: 'float64', fill_value: 0,
    chunk_grid: { name: 'regular', configuration: { chunk_shape: chunks } },
    chunk_key_encoding: { name: 'default', configuration: { separator: '/' } },
    codecs: [{ name: 'bytes', configuration: { endian: 'little' } }, ...(codec ? [codec] : [])],
    attributes: { _ARRAY_DIMENSIONS: ['origin', 'destination'], units: 'min' },
  }));
  for (let ci = 0; ci < 2; ci++) {
    for (let cj = 0; cj < 2; cj++) {
      const data = new Float64Array(9);
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
        const [r, c] = [ci * 3 + i, cj * 3 + j];
        data[i * 3 + j] = r < shape[0] && c < shape[1] ? r * shape[1] + c : 0;
      }
      const bytes = new Uint8Array(data.buffer);
      await fs.mkdir(join(dir, 'c', String(ci)), { recursive: true });
      await fs.writeFile(join(dir, 'c', String(ci), String(cj)),
        codec ? await encodeBytes({ name: codec.name, config: codec.configuration ?? {} }, bytes) : bytes);
    }
  }
  return dir;
}
