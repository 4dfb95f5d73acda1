import { calls, main } from '../../../examples/caching';
import { tmpWorkspace } from '../../helpers/workspace';

describe('examples/caching.ts', () => {
  it('prints a miss, a hit, an early cut-off and an explained miss', async () => {
    const ws = tmpWorkspace();
    const lines: string[] = [];
    try {
      await main(ws.path('runs'), (line) => lines.push(line));
      expect(lines).toHaveLength(4);
      expect(lines[0]).toBe('1. miss: cacheHit=false, reason=no_similar_prior_run');
      expect(lines[1]).toMatch(/^2\. hit: cacheHit=true, reused CleanData_\S+, run\(\) calls=1$/);
      expect(lines[2]).toBe('3. early cut-off: upstream code_changed but same bytes -> downstream cacheHit=true (reused the first summary)');
      expect(lines[3]).toBe('4. miss: cacheHit=false, reason=config_changed, keys=threshold');
      expect(calls).toEqual({ clean: 3, summarize: 1 });
    } finally {
      ws.cleanup();
    }
  });
});
