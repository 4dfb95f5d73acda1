/**
 * Parquet-write progress (API.md §14) through `Tracker.open({ onProgress })`: shared by
 * parquet-progress.test.ts (the native addon, when built) and parquet-progress-portable.test.ts
 * (CONSIST_NATIVE=0: the table-function stream).
 */
import * as arrow from 'apache-arrow';
import { isConsistError, type ProgressEvent, type StepContext } from '../../../src/index';
import { openTestTracker, tmpWorkspace } from '../../helpers/workspace';

const ROWS = 300_000;

/** Registers the cases; `expectNative` says which writer the file's process uses. */
export function parquetProgressCases(expectNative: () => boolean): void {
  it('reports parquet events for ctx.logTable: rows done of rows total, monotonic, ending at done = total', async () => {
    const ws = tmpWorkspace('consist-parquet-progress-');
    const events: ProgressEvent[] = [];
    const tracker = await openTestTracker(ws, { onProgress: (e) => events.push({ ...e }) });
    try {
      const table = arrow.tableFromArrays({ id: Int32Array.from({ length: ROWS }, (_, i) => i), x: Float64Array.from({ length: ROWS }, (_, i) => i / 2) });
      await tracker.run({ name: 'writer', fn: async (_in, ctx: StepContext) => { await ctx.logTable(table, { key: 'big' }); return {}; } });
      const parquet = events.filter((e) => e.task === 'parquet');
      expect(parquet.length).toBeGreaterThan(0);
      for (let i = 1; i < parquet.length; i++) expect(parquet[i].done).toBeGreaterThan(parquet[i - 1].done);
      expect(parquet.every((e) => e.total === ROWS && e.item?.endsWith('big.parquet'))).toBe(true);
      expect(parquet[parquet.length - 1].done).toBe(ROWS);
      // The portable stream reports on the main thread, per ~123k rows; the native addon's
      // callbacks may land after the write resolved (then its end event covers them).
      if (!expectNative()) expect(parquet.map((e) => e.done)).toEqual([122_880, 245_760, ROWS]);
      const rows = await tracker.sql<{ n: bigint | number }>(`SELECT count(*) AS n FROM read_parquet('${parquet[0].item}')`);
      expect(Number(rows[0].n)).toBe(ROWS);
    } finally {
      await tracker.close();
      ws.cleanup();
    }
  });

  it('a write that fails (nested column) ends without a done = total event, with ARTIFACT_UNSUPPORTED_FORMAT', async () => {
    const ws = tmpWorkspace('consist-parquet-progress-');
    const events: ProgressEvent[] = [];
    const tracker = await openTestTracker(ws, { onProgress: (e) => events.push({ ...e }) });
    try {
      const nested = new arrow.Table({ l: arrow.vectorFromArray([[1, 2], [3]], new arrow.List(new arrow.Field('item', new arrow.Int32()))) });
      const err = await tracker.run({ name: 'nested', fn: async (_in, ctx: StepContext) => { await ctx.logTable(nested, { key: 'bad' }); return {}; } })
        .then(() => undefined, (e: unknown) => e);
      expect(isConsistError(err) ? err.code : err).toBe('ARTIFACT_UNSUPPORTED_FORMAT');
      expect(events.filter((e) => e.task === 'parquet' && e.done === e.total)).toEqual([]);
    } finally {
      await tracker.close();
      ws.cleanup();
    }
  });
}
