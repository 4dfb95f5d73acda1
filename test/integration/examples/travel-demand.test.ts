import { main } from '../../../examples/travel-demand/main';
import { tmpWorkspace } from '../../helpers/workspace';

describe('examples/travel-demand (npm run demo)', () => {
  it('executes every step once, hits the cache for all of them on the second pass, re-runs only what a config change affects, and queries across runs', async () => {
    const ws = tmpWorkspace();
    const lines: string[] = [];
    try {
      const { first, second, third, rows } = await main(ws.path('runs'), (s) => lines.push(s), 300);
      // population, skims (function step), 3 years, assign (command step); high_gas reuses population and skims
      expect(first.map((r) => r.executed)).toEqual([6, 4]);
      expect(second.map((r) => r.executed)).toEqual([0, 0]);
      expect(second.map((r) => r.hits)).toEqual([6, 6]);
      expect(second.map((r) => r.headerId)).toEqual(['baseline~2', 'high_gas~2']);
      // one network setting changed: only skims and the assignment re-execute
      expect(third.map((r) => [r.headerId, r.executed, r.hits])).toEqual([['baseline~3', 2, 4]]);
      expect(lines.join('\n')).toContain("the name 'baseline' now resolves to baseline~3");
      expect(rows).toHaveLength(6);
      const mean = (s: string, y: number) => Number(rows.find((r) => r.scenario === s && Number(r.year) === y)?.mean_vmt);
      expect(mean('high_gas', 2030)).toBeLessThan(mean('baseline', 2030));
      expect(lines.join('\n')).toContain('Cross-run SQL');
    } finally {
      ws.cleanup();
    }
  });
});
