import { Tracker } from '../../../src/index';
import { Step } from '../../../src/index';
import { StepBase } from '../../../src/index';
import { memoryLogger, tmpWorkspace } from '../../helpers/workspace';
import { Person } from '../../fixtures/person-table';

@Step({ outputs: { persons: { schema: () => Person } }, codeVersion: '1' })
class MakePersons extends StepBase {
  async run() {
    await this.ctx.logTable([{ person_id: 9, age: 50, number_of_trips: 1 }], { key: 'extra_persons', schema: Person });
    return { persons: [{ person_id: 1, age: 30, number_of_trips: 2 }, { person_id: 2, age: 40, number_of_trips: 3 }] };
  }
}

describe('step outputs with a @Table schema', () => {
  it('land in the typed hybrid view without ingestion, from the returned table and ctx.logTable', async () => {
    const ws = tmpWorkspace();
    const tracker = await Tracker.open({ runDir: ws.path('runs'), logger: memoryLogger(), codeIdentity: 'class-source', schemas: { Person } });
    try {
      for (const year of [2020, 2030]) await tracker.run(MakePersons, { year });
      const rows = await tracker.views.Person.rows();
      expect(rows).toHaveLength(6);
      expect(rows.map((r) => Number(r.consist_year)).sort()).toEqual([2020, 2020, 2020, 2030, 2030, 2030]);
      const r = await tracker.run(MakePersons, { year: 2020 });
      expect(r.cacheHit).toBe(true);
      expect(await tracker.views.Person.count()).toBe(6);
    } finally {
      await tracker.close();
      ws.cleanup();
    }
  });
});
