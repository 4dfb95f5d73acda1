import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { isConsistError, Tracker, type ErrorCode } from '../../../src/index';
import { memoryLogger, tmpWorkspace, type Workspace } from '../../helpers/workspace';

/** Exhaustive over the filesystem codes: adding one without handling it here fails to compile. */
function advice(code: ErrorCode): string {
  switch (code) {
    case 'FS_NO_SPACE': return 'free space';
    case 'FS_PERMISSION_DENIED': return 'grant access';
    case 'FS_READ_ONLY': return 'writable volume';
    case 'FS_WRITE_FAILED': return 'check the path';
    default: return 'other';
  }
}

const step = { name: 'fs_step', config: { a: 1 }, fn: async () => ({ rows: [{ a: 1 }] }) };

describe('raw filesystem errors of the journal become ConsistErrors', () => {
  let ws: Workspace;
  beforeEach(() => { ws = tmpWorkspace('consist-fs-errors-'); });
  afterEach(() => ws.cleanup());

  it('maps a runs folder under a file (ENOTDIR) to FS_WRITE_FAILED at open', async () => {
    const file = ws.file('not-a-dir', 'x');
    const err: unknown = await Tracker.open({ runDir: path.join(file, 'runs'), logger: memoryLogger() }).catch((e: unknown) => e);
    expect(isConsistError(err)).toBe(true);
    if (!isConsistError(err)) return;
    expect(err.code).toBe('FS_WRITE_FAILED');
    expect(advice(err.code)).toBe('check the path');
    expect(err.details).toMatchObject({ errno: 'ENOTDIR' });
  });

  it('maps a pending-marker write that fails (a file where the folder should be) and loses nothing recorded before', async () => {
    const runDir = ws.path('runs');
    const tracker = await Tracker.open({ runDir, logger: memoryLogger(), codeIdentity: 'class-source' });
    try {
      const first = await tracker.run(step);
      const pending = path.join(runDir, '.consist', 'pending');
      rmSync(pending, { recursive: true, force: true });
      writeFileSync(pending, 'in the way');
      const err: unknown = await tracker.run({ ...step, config: { a: 2 } }).catch((e: unknown) => e);
      expect(isConsistError(err) && err.code).toBe('FS_WRITE_FAILED');
      expect((err as Error).message).toContain('pending marker');
      rmSync(pending);
      mkdirSync(pending);
      expect((await tracker.getRun(first.run.id))?.status).toBe('completed');
      expect((await tracker.run(step)).cacheHit).toBe(true);
    } finally {
      await tracker.close();
    }
  });
});
