import { Tracker } from '../../../src/index';
import { memoryLogger, tmpWorkspace } from '../../helpers/workspace';

describe('tracker.db (Kysely over the provenance DB)', () => {
  it('runs typed queries, and refuses transactions and streaming with DB_UNSUPPORTED', async () => {
    const ws = tmpWorkspace();
    const tracker = await Tracker.open({ runDir: ws.path('runs'), logger: memoryLogger() });
    try {
      await tracker.startRun('one', { model: 'm' }, async () => undefined);
      const rows = await tracker.db.selectFrom('run').select(['id', 'model']).where('status', '=', 'completed').execute();
      expect(rows).toEqual([{ id: 'one', model: 'm' }]);
      await expect(tracker.db.transaction().execute(async () => undefined)).rejects.toMatchObject({ code: 'DB_UNSUPPORTED' });
      const stream = tracker.db.selectFrom('run').selectAll().stream();
      await expect(stream.next()).rejects.toMatchObject({ code: 'DB_UNSUPPORTED' });
    } finally {
      await tracker.close();
      ws.cleanup();
    }
  });
});
