import { spawn, type ChildProcess } from 'node:child_process';
import * as http from 'node:http';
import { makeFixture, type Fixture } from '../maintenance/fixture';
import { openTestTracker } from '../../helpers/workspace';
import { CLI_MAIN } from '../cli/run-cli';

/**
 * The maintenance fixture (r1 → persons → r2 → summary → r3) plus cached steps: `sq1` executes,
 * `sq1-again` is a hit on it, `sq2` misses because config key `alpha` changed; and `boom` failed.
 */
export async function makeUiFixture(): Promise<Fixture> {
  const fx = await makeFixture();
  const tracker = await openTestTracker(fx.ws, { runDir: fx.runDir });
  try {
    const step = (alpha: number) => ({ name: 'square', model: 'sq', year: 2040, config: { i: 3, alpha }, fn: async () => ({ table: [{ i: 3, sq: 9 }] }) });
    await tracker.run({ ...step(0.5), runId: 'sq1' });
    await tracker.run({ ...step(0.5), runId: 'sq1-again' });
    await tracker.run({ ...step(0.7), runId: 'sq2' });
    await tracker.startRun('boom', { model: 'sq' }, async () => {
      throw new Error('the model diverged');
    }).catch(() => undefined);
  } finally {
    await tracker.close();
  }
  return fx;
}

/** A `consist ui` process and the URL it printed. */
export interface UiProcess {
  url: string;
  child: ChildProcess;
  stderr: () => string;
  stop(): Promise<number | null>;
}

/** Spawns `consist ui --port 0 …args` and waits (generously) for the URL line on stdout. */
export function startUi(args: readonly string[], cwd: string): Promise<UiProcess> {
  const child = spawn(process.execPath, [CLI_MAIN, 'ui', ...args], {
    cwd, env: { ...process.env, NO_COLOR: '1', CONSIST_DB: '', CONSIST_RUN_DIR: '' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => { err += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`consist ui printed no URL in 60 s:\n${out}\n${err}`)), 60_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/\S+\/)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        url: m[1], child, stderr: () => err,
        stop: async () => {
          if (child.exitCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`consist ui exited ${code}:\n${out}\n${err}`), { code, stderr: err }));
    });
  });
}

/** A raw GET: the path is sent as written (no `..` normalisation) and the Host header as given. */
export function rawGet(base: string, rawPath: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path: rawPath, method: 'GET', headers, setHost: !('Host' in headers) }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => { text += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** GET through fetch, the body parsed when it is JSON. */
export async function get(url: string): Promise<{ status: number; body: any; text: string; type: string }> {
  const res = await fetch(url);
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, text, type, body: type.includes('json') ? JSON.parse(text) : undefined };
}
