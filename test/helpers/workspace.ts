import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Tracker } from '../../src/tracker/tracker';
import type { TrackerOptions } from '../../src/recording/tracker-options';
import type { Logger } from '../../src/util/logger';

/** A temp directory removed by `cleanup()`. */
export interface Workspace {
  dir: string;
  file(rel: string, content: string | Buffer): string;
  path(...rel: string[]): string;
  cleanup(): void;
}

export function tmpWorkspace(prefix = 'consist-test-'): Workspace {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return {
    dir,
    file(rel, content) {
      const p = path.join(dir, rel);
      mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(p, content);
      return p;
    },
    path: (...rel) => path.join(dir, ...rel),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A logger that keeps messages so tests can assert warnings. */
export function memoryLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, warn: (m) => warnings.push(m), info: () => undefined, debug: () => undefined };
}

/** Opens a tracker on `<ws>/runs` with a silent, inspectable logger. */
export async function openTestTracker(ws: Workspace, opts: Partial<TrackerOptions> = {}): Promise<Tracker> {
  return Tracker.open({ runDir: ws.path('runs'), logger: memoryLogger(), codeIdentity: 'class-source', ...opts });
}
