import { statSync } from 'node:fs';
import { RunIndex, markerName } from '../../../src/journal/run-index';
import { statPaths } from '../../../src/artifacts/file-kind';
import { tmpWorkspace, type Workspace } from '../../helpers/workspace';

const run = (id: string, startedAt: string) => ({
  run: { id, startedAt, status: 'completed' as const, signature: 'sig', name: 'step', cacheHit: false },
  artifacts: [{ direction: 'output' as const, artifact: { uri: 'workspace://out.csv', runId: id } }],
});

describe('RunIndex entries on the calling thread and batched input stats (the cache-hit path)', () => {
  let ws: Workspace;
  beforeEach(() => { ws = tmpWorkspace('run-index-'); });
  afterEach(() => ws.cleanup());

  it('entriesNow lists the same entries as entries, newest first, limited; a missing folder is empty', async () => {
    const index = new RunIndex(ws.dir);
    await index.record(run('r_old', '2030-01-01T00:00:00.000Z'));
    await index.record(run('r_new', '2030-01-02T00:00:00.000Z'));
    await index.record(run('r_mid', '2030-01-01T12:00:00.000Z'));
    for (const kind of ['signature', 'produced'] as const) {
      const key = kind === 'signature' ? 'sig' : 'workspace://out.csv';
      expect(index.entriesNow(kind, key).map((e) => e.runId)).toEqual(['r_new', 'r_mid', 'r_old']);
      expect(index.entriesNow(kind, key)).toEqual(await index.entries(kind, key));
      expect(index.entriesNow(kind, key, 1)).toEqual([{ runId: 'r_new', marker: markerName({ id: 'r_new', startedAt: '2030-01-02T00:00:00.000Z' }) }]);
    }
    expect(index.entriesNow('produced', 'workspace://never-produced.csv')).toEqual([]);
    expect(index.entriesNow('signature', 'no-such-signature')).toEqual([]);
  });

  it('statPaths gives each path its stat or undefined, in order, on both sides of the thread-pool threshold', async () => {
    const a = ws.file('a.csv', 'x\n1\n');
    const dir = ws.path();
    const missing = ws.path('missing.csv');
    const notUnderAFile = ws.path('a.csv', 'child.csv'); // ENOTDIR, not ENOENT: still unreadable
    const few = await statPaths([a, missing, dir, notUnderAFile]);
    expect(few.map((s) => s && Number(s.size))).toEqual([4, undefined, Number(statSync(dir).size), undefined]);
    expect(few[0]?.mtimeNs).toBe(statSync(a, { bigint: true }).mtimeNs);
    const many = await statPaths(Array.from({ length: 100 }, (_, i) => (i % 2 ? a : missing)));
    expect(many.map((s) => s !== undefined)).toEqual(Array.from({ length: 100 }, (_, i) => i % 2 === 1));
  });
});
