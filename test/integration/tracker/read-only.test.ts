/** `Tracker.open({ readOnly: true })`: a reader that queries a runs folder and never writes to it. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { isConsistError, Tracker } from '../../../src/index';
import { makeFixture, type Fixture } from '../maintenance/fixture';
import { memoryLogger } from '../../helpers/workspace';

function tree(dir: string, out = new Map<string, string>()): Map<string, string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) tree(p, out);
    else out.set(p, `${statSync(p).size}:${statSync(p).mtimeMs}`);
  }
  return out;
}

const codeOf = (e: unknown) => (isConsistError(e) ? e.code : e);

describe('Tracker.open({ readOnly: true })', () => {
  let fx: Fixture;
  beforeEach(async () => {
    fx = await makeFixture();
  });
  afterEach(() => fx.ws.cleanup());

  it('answers queries, refuses to record with READ_ONLY, and leaves every file as it was', async () => {
    const before = tree(fx.ws.dir);
    const tracker = await Tracker.open({ runDir: fx.runDir, readOnly: true, logger: memoryLogger(), codeIdentity: 'class-source' });
    try {
      expect((await tracker.findRuns()).map((r) => r.id).sort()).toEqual(['r1', 'r2', 'r3']);
      expect((await tracker.getRun('r2'))?.parentRunId).toBe('r1');
      expect(await tracker.sql('SELECT count(*) AS n FROM artifact')).toEqual([{ n: 3 }]);
      expect((await tracker.lineage(fx.artifacts.summary)).producer?.run.id).toBe('r2');
      expect(codeOf(await tracker.startRun('x', {}, async () => undefined).catch((e: unknown) => e))).toBe('READ_ONLY');
      expect(codeOf(await tracker.run({ name: 'sq', fn: async () => ({ t: [{ a: 1 }] }) }).catch((e: unknown) => e))).toBe('READ_ONLY');
    } finally {
      await tracker.close();
    }
    expect(tree(fx.ws.dir)).toEqual(before);
    expect(existsSync(`${fx.dbPath}.wal`)).toBe(false);
  });

  it('does not create a missing runs folder, and rejects a non-boolean readOnly with CONFIGURATION_INVALID', async () => {
    const runDir = fx.ws.path('nowhere');
    const tracker = await Tracker.open({ runDir, readOnly: true, logger: memoryLogger() });
    try {
      expect(codeOf(await tracker.findRuns().catch((e: unknown) => e))).toBe('DB_OPEN_FAILED');
    } finally {
      await tracker.close();
    }
    expect(existsSync(runDir)).toBe(false);
    await expect(Tracker.open({ runDir, readOnly: 'yes' as never })).rejects.toMatchObject({ code: 'CONFIGURATION_INVALID' });
  });
});
