import { main } from '../../../examples/views';
import { tmpWorkspace } from '../../helpers/workspace';

describe('examples/views.ts', () => {
  it('builds one view over hot and cold persons and a grouped view by facet', async () => {
    const ws = tmpWorkspace();
    const lines: string[] = [];
    try {
      const { perYear, groupedCount } = await main(ws.path('runs'), (s) => lines.push(s));
      expect(perYear.map((r) => [r.consist_scenario_id, r.consist_year])).toEqual([
        ['baseline', 2020], ['baseline', 2030], ['growth', 2020], ['growth', 2030]]);
      const mean = (s: string, y: number) => perYear.find((r) => r.consist_scenario_id === s && r.consist_year === y)!.mean_trips;
      expect(mean('growth', 2030)).toBeGreaterThan(mean('baseline', 2030));
      expect(groupedCount).toBe(200);
      expect(lines[0]).toContain('Mean trips');
    } finally {
      ws.cleanup();
    }
  });
});
