import { existsSync } from 'node:fs';
import { openTestTracker, tmpWorkspace, type Workspace } from '../../helpers/workspace';

/** The codec of every column chunk of a Parquet file, as DuckDB's `parquet_metadata` reports it. */
async function codecs(tracker: Awaited<ReturnType<typeof openTestTracker>>, file: string): Promise<string[]> {
  const rows = await tracker.sql(`SELECT DISTINCT compression FROM parquet_metadata('${file.replace(/'/g, "''")}') ORDER BY 1`);
  return rows.map((r) => String(r.compression));
}

describe('parquetCompression (Parquet step outputs)', () => {
  let ws: Workspace;
  beforeEach(() => { ws = tmpWorkspace(); });
  afterEach(() => ws.cleanup());

  const rows = Array.from({ length: 5000 }, (_, i) => ({ id: i, zone: i % 40, mode: ['car', 'bus', 'walk'][i % 3] }));
  const step = { name: 'trips', outputs: ['trips'], fn: () => ({ trips: rows }) };

  it.each([
    ['the default (snappy)', undefined, ['SNAPPY']],
    ['zstd', 'zstd', ['ZSTD']],
    ['uncompressed', 'uncompressed', ['UNCOMPRESSED']],
  ] as const)('writes %s outputs that load back unchanged', async (_label, codec, expected) => {
    const tracker = await openTestTracker(ws, codec ? { parquetCompression: codec } : {});
    try {
      const r = await tracker.run(step);
      expect(await codecs(tracker, r.outputs.trips.path)).toEqual(expected);
      const loaded = await tracker.load(r.outputs.trips);
      expect(loaded.numRows).toBe(5000);
      expect(loaded.get(4999)?.toJSON()).toEqual({ id: 4999n, zone: 39n, mode: 'bus' });
    } finally {
      await tracker.close();
    }
  });

  it('rejects an unknown codec with CONFIGURATION_INVALID before creating the runs folder', async () => {
    await expect(openTestTracker(ws, { parquetCompression: 'brotli' as never })).rejects.toMatchObject({ code: 'CONFIGURATION_INVALID' });
    expect(existsSync(ws.path('runs'))).toBe(false);
  });
});
