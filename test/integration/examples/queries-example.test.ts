import { RunNotFoundError } from '../../../src/index';
import { main } from '../../../examples/queries';
import type { FindRunsOptions } from '../../../src/index';
import { openTestTracker, tmpWorkspace } from '../../helpers/workspace';

describe('examples/queries.ts', () => {
  it('finds executed runs and hits, one run, its artifacts and the lineage of the final output', async () => {
    const ws = tmpWorkspace();
    const lines: string[] = [];
    try {
      const facts = await main(ws.path('runs'), (s) => lines.push(s));
      expect(facts).toMatchObject({
        executed: 4, hits: 4, newest: 3, summaryYears: [2020, 2030], sqlHits: 4,
        artifactKeys: { inputs: ['persons'], outputs: ['summary'] },
        lineageDepth: 2, lineageRuns: ['Summarize', 'Synthesize'],
      });
      // The final call was a hit: its output still names the run that executed, the one findRun found.
      expect(facts.finalProducerRunId).toBe(facts.summarize2030);
      expect(facts.finalReusedRunId).toBe(facts.summarize2030);
      expect(lines[0]).toContain('4 executed, 4 cache hits');

      // The records outlive the process's tracker: a new one sees the same runs.
      const tracker = await openTestTracker(ws);
      try {
        const producer = await tracker.getRun(facts.summarize2030);
        expect(producer).toMatchObject({ name: 'Summarize', model: 'demo', year: 2030, cacheHit: false, status: 'completed' });
      } finally {
        await tracker.close();
      }
    } finally {
      ws.cleanup();
    }
  });

  it('rejects a query that is ambiguous or malformed with a stable code', async () => {
    const ws = tmpWorkspace();
    try {
      await main(ws.path('runs'), () => undefined);
      const tracker = await openTestTracker(ws);
      try {
        const ambiguous = await tracker.findRun({ name: 'Summarize', year: 2030 }).catch((e: unknown) => e);
        expect(ambiguous).toMatchObject({ code: 'RUN_AMBIGUOUS' });
        expect(ambiguous).toBeInstanceOf(RunNotFoundError); // API.md §6: exactly one, or RunNotFoundError
        await expect(tracker.findRun({ name: 'Summarize', year: 2040 })).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' });
        // A plain-JS caller passing a string year: refused before any SQL runs.
        const badYear = { model: 'demo', year: '2030' } as unknown as FindRunsOptions;
        await expect(tracker.findRuns(badYear)).rejects.toMatchObject({ code: 'CONFIGURATION_INVALID' });
      } finally {
        await tracker.close();
      }
    } finally {
      ws.cleanup();
    }
  });
});
