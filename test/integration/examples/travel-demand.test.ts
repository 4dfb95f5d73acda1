import { main } from '../../../examples/travel-demand/main';
import { tmpWorkspace } from '../../helpers/workspace';

describe('examples/travel-demand (npm run demo)', () => {
  it('executes every step once, hits the cache for all of them on the second pass, and queries across runs', async () => {
    const ws = tmpWorkspace();
    const lines: string[] = [];
    try {
      const { first, second, rows } = await main(ws.path('runs'), (s) => lines.push(s), 300);
      expect(first.map((r) => r.executed)).toEqual([4, 3]); // high_gas reuses the shared population
      expect(second.map((r) => r.executed)).toEqual([0, 0]);
      expect(second.map((r) => r.hits)).toEqual([4, 4]);
      expect(rows).toHaveLength(6);
      const mean = (s: string, y: number) => Number(rows.find((r) => r.scenario === s && Number(r.year) === y)?.mean_vmt);
      expect(mean('high_gas', 2030)).toBeLessThan(mean('baseline', 2030));
      expect(lines.join('\n')).toContain('Cross-run SQL');
    } finally {
      ws.cleanup();
    }
  });
});
