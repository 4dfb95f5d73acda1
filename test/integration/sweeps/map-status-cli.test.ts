import { readdirSync } from 'node:fs';
import { Tracker, slurm, SweepError } from '../../../src/index';
import { Square } from '../../fixtures/sweeps/steps';
import { buildDist, consist, json } from '../cli/run-cli';
import { memoryLogger, tmpWorkspace } from '../../helpers/workspace';

jest.setTimeout(120_000);

describe('consist map status', () => {
  beforeAll(buildDist);

  it('shows each item of a sweep (done, hits, failed with its error); unknown ids are SWEEP_NOT_FOUND', async () => {
    const ws = tmpWorkspace('consist-map-status-');
    try {
      const tracker = await Tracker.open({ runDir: ws.path('runs'), logger: memoryLogger(), codeIdentity: 'class-source' });
      await tracker.map(Square, [{ config: { n: 1 } }, { config: { n: 1 } }, { config: { n: 2, fail: 'no good' } }]);
      await tracker.close();
      const [id] = readdirSync(ws.path('runs', '.consist', 'sweeps'));
      const status = json<{ finished: boolean; items: Array<{ state: string }> }>(consist(['map', 'status', id, '--run-dir', 'runs', '--json'], ws.dir));
      expect(status.finished).toBe(true);
      expect(status.items.map((i) => i.state)).toEqual(['done', 'hit', 'failed']);
      const text = consist(['map', 'status', id, '--run-dir', 'runs'], ws.dir);
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/hit 1 · done 1 · failed 1/);
      expect(text.stdout).toContain('no good');
      expect(consist(['map', 'list', '--run-dir', 'runs'], ws.dir).stdout.trim()).toBe(id);
      const missing = consist(['map', 'status', 'sweep-nope', '--run-dir', 'runs'], ws.dir);
      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toContain('SWEEP_NOT_FOUND');
    } finally {
      ws.cleanup();
    }
  });
});

describe('map options and executors: bad input', () => {
  it('rejects bad options before anything is recorded', async () => {
    const ws = tmpWorkspace('consist-map-opts-');
    const tracker = await Tracker.open({ runDir: ws.path('runs'), logger: memoryLogger(), codeIdentity: 'class-source' });
    try {
      for (const [opts, name] of [[{ executor: 'cloud' }, 'executor'], [{ concurrency: 0 }, 'concurrency'], [{ failFast: 'yes' }, 'failFast']] as const) {
        const err = await tracker.map(Square, [{ config: { n: 1 } }], opts as never).catch((e: unknown) => e);
        expect((err as SweepError).code).toBe('SWEEP_INVALID_OPTIONS');
        expect((err as Error).message).toContain(name);
      }
      expect(() => slurm({ cpusPerTask: -1 })).toThrow(expect.objectContaining({ code: 'SWEEP_INVALID_OPTIONS' }));
      expect(await tracker.findRuns({})).toHaveLength(0);
    } finally {
      await tracker.close();
      ws.cleanup();
    }
  });
});
