import { main } from '../../../examples/sweep/main';
import { tmpWorkspace } from '../../helpers/workspace';

jest.setTimeout(600_000);

describe('examples/sweep', () => {
  it('runs 3 years × 3 scenarios on local workers, then finds every item a hit', async () => {
    const ws = tmpWorkspace('consist-sweep-example-');
    const lines: string[] = [];
    try {
      const reports = await main(ws.dir, (s) => lines.push(s), ['local', 'local']);
      expect(reports).toEqual([
        { executor: 'local', executed: 9, hits: 0, failed: 0 },
        { executor: 'local', executed: 0, hits: 9, failed: 0 },
      ]);
      expect(lines[lines.length - 1]).toBe('9 distinct SimulateYear runs recorded');
    } finally {
      ws.cleanup();
    }
  });
});
