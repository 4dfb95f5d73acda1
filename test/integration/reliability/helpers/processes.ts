import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

/** The worker scripts of `test/fixtures/workers`. */
export const WORKERS = path.resolve(__dirname, '../../../fixtures/workers');

/** How a worker process ended, with its `RESULT` line parsed. */
export interface WorkerOutcome<R = Record<string, unknown>> {
  code: number | null;
  signal: NodeJS.Signals | null;
  result: R | undefined;
  stderr: string;
}

/** Runs `node <script>` with the transpiled library and a JSON job; resolves when it exits. */
export function runWorker<R>(script: string, libDir: string, jobSpec: object, env: NodeJS.ProcessEnv = {}): Promise<WorkerOutcome<R>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(WORKERS, script)], {
      env: { ...process.env, CONSIST_LIB: libDir, CONSIST_JOB: JSON.stringify(jobSpec), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      resolve({ code, signal, stderr, result: line ? (JSON.parse(line.slice(7)) as R) : undefined });
    });
  });
}

/** Every `consist.json` below `runDir` (one level of run folders). */
export function snapshotFiles(runDir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(runDir);
  } catch {
    return [];
  }
  return names.filter((n) => !n.startsWith('.')).map((n) => path.join(runDir, n, 'consist.json'))
    .filter((f) => { try { return statSync(f).isFile(); } catch { return false; } }).sort();
}

/** Parses every snapshot; throws (failing the test) on a half-written one. */
export function readSnapshots(runDir: string): Array<{ run: { id: string; status: string; signature: string | null } }> {
  return snapshotFiles(runDir).map((f) => JSON.parse(readFileSync(f, 'utf8')));
}

/** Runs `tasks` with at most `limit` in flight. */
export async function pool<T>(limit: number, tasks: Array<() => Promise<T>>): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  const lane = async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, lane));
  return out;
}
