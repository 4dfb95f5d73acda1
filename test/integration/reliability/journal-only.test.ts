import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ConsistError, Tracker } from '../../../src/index';
import { memoryLogger, tmpWorkspace, type Workspace } from '../../helpers/workspace';

const produce = {
  name: 'produce', config: { n: 3 }, outputs: ['data'],
  fn: async (_in: unknown, ctx: { runDir: string }) => {
    writeFileSync(path.join(ctx.runDir, 'data.csv'), 'a\n1\n');
    return { data: 'data.csv' };
  },
};
const consume = (input: string) => ({
  name: 'consume', config: { k: 1 }, inputs: { data: input },
  fn: async () => ({ rows: [{ a: 1 }] }),
});

const open = (runDir: string, journalOnly?: boolean) =>
  Tracker.open({ runDir, logger: memoryLogger(), codeIdentity: 'class-source', ...(journalOnly ? { journalOnly } : {}) });

describe('journal-only tracker', () => {
  let ws: Workspace;
  beforeEach(() => { ws = tmpWorkspace('consist-journal-only-'); });
  afterEach(() => ws.cleanup());

  it('records runs without a database, serves hits from the journal, and a later normal tracker sees them', async () => {
    const runDir = ws.path('runs');
    const worker = await open(runDir, true);
    let ids: string[];
    try {
      const a = await worker.run(produce);
      const miss = await worker.run(consume(a.outputs.data.path));
      const hit = await worker.run(consume(a.outputs.data.path));
      expect([a.cacheHit, miss.cacheHit, hit.cacheHit]).toEqual([false, false, true]);
      expect(hit.run.reusedRunId).toBe(miss.run.id);
      await worker.drain(); // nothing to wait for: the journal is the record
      ids = [a.run.id, miss.run.id, hit.run.id];
    } finally {
      await worker.close();
    }
    expect(existsSync(path.join(runDir, 'provenance.duckdb'))).toBe(false);

    const normal = await open(runDir);
    try {
      for (const id of ids) expect((await normal.getRun(id))?.status).toBe('completed');
      const links = await normal.getArtifactsForRun(ids[1]);
      expect(links.inputs.data?.runId).toBe(ids[0]); // auto-linked to its producer by the journal-only worker
      const again = await normal.run(consume(path.join(runDir, ids[0], 'data.csv')));
      expect(again.cacheHit).toBe(true);
    } finally {
      await normal.close();
    }
  });

  it('throws JOURNAL_ONLY for calls that need the database', async () => {
    const worker = await open(ws.path('runs'), true);
    try {
      const codes = await Promise.all([
        worker.sql('SELECT 1').catch((e: unknown) => e),
        worker.findRuns({}).catch((e: unknown) => e),
        worker.getRun('nope').catch((e: unknown) => e),
      ]);
      for (const e of codes) {
        expect(e).toBeInstanceOf(ConsistError);
        expect((e as ConsistError).code).toBe('JOURNAL_ONLY');
        expect((e as Error).message).toMatch(/normal tracker/);
      }
    } finally {
      await worker.close();
    }
  });

  it('rejects a non-boolean journalOnly before creating anything', async () => {
    const runDir = ws.path('never');
    await expect(Tracker.open({ runDir, journalOnly: 'yes' as unknown as boolean })).rejects.toMatchObject({ code: 'CONFIGURATION_INVALID' });
    expect(existsSync(runDir)).toBe(false);
  });
});
