import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { Tracker, type H5Store } from '../../src/index';
import { tempDir } from './format-fixtures';

/** Committed PyTables-written store (see test/fixtures/formats/make_pandas_kinds.py). */
const KINDS_H5 = join(__dirname, '..', 'fixtures', 'formats', 'pandas_kinds.h5');

describe('pandas tables with every column kind flow into DuckDB (public API)', () => {
  test('categoricals, MultiIndex levels, strings, datetimes and bools ingest and query as their values', async () => {
    const dir = tempDir('pandas-ingest-');
    const tracker = await Tracker.open({ runDir: join(dir, 'runs') });
    try {
      const h5Path = join(dir, 'pipeline.h5');
      await fs.copyFile(KINDS_H5, h5Path);
      const art = await tracker.startRun('log_pipeline', { model: 'activitysim' }, () => tracker.logArtifact(h5Path, { key: 'pipeline', direction: 'input' }));
      const store = await tracker.load<H5Store>(art);
      try {
        const cats = await tracker.startRun('ingest_cats', { model: 'activitysim' }, async () => {
          const out = await tracker.logArtifact(join(dir, 'cats.parquet'), { key: 'cats', direction: 'output', driver: 'parquet' });
          return tracker.ingest(out, { data: await store.table('cats') });
        });
        expect(cats.rowCount).toBe(6);
        const rows = await tracker.sql(`SELECT zone, mode, size, name, epoch_ns("when") AS w, flag, v FROM hot.${cats.table} ORDER BY v`);
        expect(rows.map((r) => [r.zone, r.mode, Number(r.size), r.name, r.w === null ? null : String(r.w), r.flag])).toEqual([
          ['a', 'walk', 3, 'x', '1704067200000000001', true],
          ['b', 'bike', 1, 'yy', '1704153600000000000', false],
          ['a', null, 2, null, null, true],
          ['c', 'walk', 3, 'né', '1704326400000000000', true],
          ['b', 'car', 3, '', '1704412800000000000', false],
          ['a', 'car', 1, 'w', '1704499200000000000', false],
        ]);
        const multi = await tracker.startRun('ingest_multi', { model: 'activitysim' }, async () => {
          const out = await tracker.logArtifact(join(dir, 'multi.parquet'), { key: 'multi', direction: 'output', driver: 'parquet' });
          return tracker.ingest(out, { data: await store.table('multi_fixed') });
        });
        const m = await tracker.sql(`SELECT hh, per, count(*) AS n FROM hot.${multi.table} GROUP BY ALL ORDER BY hh, per`);
        expect(m.map((r) => [Number(r.hh), r.per, Number(r.n)])).toEqual([[1, 'p', 1], [1, 'q', 1], [2, 'p', 1], [2, 'q', 1], [3, 'p', 1], [3, 'q', 1]]);
      } finally {
        store.close();
      }
    } finally {
      await tracker.close();
    }
  });
});
