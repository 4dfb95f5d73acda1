import * as path from 'node:path';
import { mkdirSync } from 'node:fs';
import { Database } from '../../../src/provenance/database';
import { SqlRunRepository as RunRepository, type RunFilter } from '../../../src/provenance/run-repository';
import { tmpWorkspace, type Workspace } from '../../helpers/workspace';

/**
 * `RunRepository.find` with a limit first bounds the start time from the newest inserted rows;
 * whatever the insertion order, the answer must equal the plain `ORDER BY … LIMIT` query.
 */
describe('findRuns with a limit (start-time bound from recent rows)', () => {
  let ws: Workspace;
  let db: Database;
  let repo: RunRepository;

  beforeEach(async () => {
    ws = tmpWorkspace('consist-findruns-');
    mkdirSync(ws.path('runs'), { recursive: true });
    db = await Database.open(path.join(ws.path('runs'), 'provenance.duckdb'));
    repo = new RunRepository(db);
  });
  afterEach(async () => {
    await db.close();
    ws.cleanup();
  });

  const plain = async (filter: RunFilter): Promise<string[]> => {
    const all = await new RunRepository(db).find({ ...filter, limit: undefined });
    return all.slice(0, filter.limit).map((r) => r.id);
  };

  it.each([
    ['ascending start times (the usual order)', 'i * 1000000'],
    ['descending start times (newest inserted first)', '(20000 - i) * 1000000'],
    ['scrambled start times with many ties', '((i * 7919) % 500) * 1000'],
  ])('returns exactly the plain query\'s runs: %s', async (_label, startSql) => {
    await db.run(`INSERT INTO run (id, kind, name, model, status, started_at)
      SELECT 'r_' || lpad(i::VARCHAR, 6, '0'), 'step', 'step_' || (i % 4), 'm' || (i % 3),
        CASE WHEN i % 7 = 0 THEN 'failed' ELSE 'completed' END, TIMESTAMP '2024-01-01' + to_microseconds(${startSql})
      FROM range(20000) t(i)`);
    for (const filter of [
      { limit: 50 }, { model: 'm1', status: 'completed' as const, limit: 50 }, { status: 'failed' as const, limit: 10 },
      { name: 'step_2', limit: 1 }, { model: 'm2', limit: 5000 }, { model: 'nope', limit: 5 },
    ]) {
      const got = (await repo.find(filter)).map((r) => r.id);
      expect([JSON.stringify(filter), got]).toEqual([JSON.stringify(filter), await plain(filter)]);
    }
  });

  it('returns nothing for limit 0 and every run without a limit', async () => {
    await db.run(`INSERT INTO run (id, kind, name, status, started_at) SELECT 'x' || i, 'step', 's', 'completed', now() FROM range(3) t(i)`);
    expect(await repo.find({ limit: 0 })).toEqual([]);
    expect((await repo.find({})).length).toBe(3);
  });
});
