import { main } from '../../../examples/legacy-tool';
import { tmpWorkspace } from '../../helpers/workspace';

describe('examples/legacy-tool', () => {
  it('misses, hits without starting the process, then misses after a dependsOn edit', async () => {
    const ws = tmpWorkspace();
    const lines: string[] = [];
    try {
      expect(await main(ws.dir, (s) => lines.push(s))).toEqual([false, true, false]);
      expect(lines[2]).toContain('inputs_changed');
    } finally {
      ws.cleanup();
    }
  });
});
