import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  commandIdentity, executeCommand, readLastLines, resolveExecutable,
} from '../../../src/containers/command-executor';
import { ExecutionError } from '../../../src/index';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'consist-cmd-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function caught(p: Promise<unknown>): Promise<ExecutionError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(ExecutionError);
  return e as ExecutionError;
}

async function writeScript(name: string, body: string): Promise<string> {
  const file = path.join(dir, name);
  await fs.writeFile(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

describe('resolveExecutable', () => {
  it('finds a name on PATH like which', async () => {
    const sh = await resolveExecutable('sh');
    expect(path.isAbsolute(sh)).toBe(true);
    expect(path.basename(sh)).toBe('sh');
  });

  it('accepts absolute and relative paths', async () => {
    const script = await writeScript('tool.sh', 'echo hi');
    expect(await resolveExecutable(script)).toBe(script);
    expect(await resolveExecutable('./tool.sh', undefined, dir)).toBe(script);
  });

  it('uses the PATH of the env it is given', async () => {
    await writeScript('only-here', 'true');
    expect(await resolveExecutable('only-here', { PATH: dir })).toBe(path.join(dir, 'only-here'));
    expect((await caught(resolveExecutable('sh', { PATH: dir }))).code).toBe('COMMAND_NOT_FOUND');
  });

  it('throws COMMAND_NOT_FOUND with a fix for an unknown binary or a non-executable file', async () => {
    const e = await caught(resolveExecutable('consist-no-such-binary-xyz'));
    expect(e.code).toBe('COMMAND_NOT_FOUND');
    expect(e.message).toMatch(/PATH/);
    await fs.writeFile(path.join(dir, 'plain.txt'), 'x', { mode: 0o644 });
    expect((await caught(resolveExecutable(path.join(dir, 'plain.txt')))).code).toBe('COMMAND_NOT_FOUND');
  });
});

describe('executeCommand', () => {
  it('streams stdout and stderr into their files, without a shell', async () => {
    const out = path.join(dir, 'logs', 'stdout.txt');
    const err = path.join(dir, 'logs', 'stderr.txt');
    const r = await executeCommand({
      argv: ['sh', '-c', 'echo "out $GREETING"; echo err >&2; pwd', 'ignored-$0'],
      cwd: dir, env: { GREETING: 'hello; rm -rf /' }, stdoutPath: out, stderrPath: err,
    });
    expect(r).toMatchObject({ exitCode: 0, signal: null });
    expect(await fs.readFile(out, 'utf8')).toBe(`out hello; rm -rf /\n${await fs.realpath(dir)}\n`);
    expect(await fs.readFile(err, 'utf8')).toBe('err\n');
  });

  it('handles large output without buffering it in memory', async () => {
    const out = path.join(dir, 'big.txt');
    // 64 MiB of zeros through the child's own fd; the test would be slow or fail if it were buffered.
    await executeCommand({ argv: ['sh', '-c', 'head -c 67108864 /dev/zero'], stdoutPath: out, stderrPath: path.join(dir, 'e') });
    expect((await fs.stat(out)).size).toBe(64 * 1024 * 1024);
  });

  it('throws COMMAND_FAILED with the exit code and the last 20 lines of stderr', async () => {
    const stderrPath = path.join(dir, 'stderr.txt');
    const e = await caught(executeCommand({
      argv: ['sh', '-c', 'i=1; while [ $i -le 30 ]; do echo "line $i" >&2; i=$((i+1)); done; exit 7'],
      stdoutPath: path.join(dir, 'stdout.txt'), stderrPath,
    }));
    expect(e.code).toBe('COMMAND_FAILED');
    expect(e.message).toMatch(/exited with code 7/);
    expect(e.message).toContain('line 30');
    expect(e.message).toContain('line 11');
    expect(e.message).not.toContain('line 10\n');
    expect(e.details).toMatchObject({ exitCode: 7, stderrPath });
  });

  it('returns the exit code instead of throwing when allowNonZeroExit is set', async () => {
    const r = await executeCommand({ argv: ['sh', '-c', 'exit 3'], stdoutPath: path.join(dir, 'o'),
      stderrPath: path.join(dir, 'e'), allowNonZeroExit: true });
    expect(r.exitCode).toBe(3);
  });

  it('reports a signal as a failure', async () => {
    const e = await caught(executeCommand({ argv: ['sh', '-c', 'kill -TERM $$'], stdoutPath: path.join(dir, 'o'), stderrPath: path.join(dir, 'e') }));
    expect(e.code).toBe('COMMAND_FAILED');
    expect(e.message).toMatch(/SIGTERM/);
  });

  it('throws COMMAND_NOT_FOUND for an unknown binary before creating anything', async () => {
    const e = await caught(executeCommand({ argv: ['consist-no-such-binary-xyz'], stdoutPath: path.join(dir, 'o'), stderrPath: path.join(dir, 'e') }));
    expect(e.code).toBe('COMMAND_NOT_FOUND');
    await expect(fs.stat(path.join(dir, 'o'))).rejects.toThrow();
  });

  it('interleaves both streams when they share one file', async () => {
    const log = path.join(dir, 'all.log');
    await executeCommand({ argv: ['sh', '-c', 'echo a; echo b >&2; echo c'], stdoutPath: log, stderrPath: log });
    expect(await fs.readFile(log, 'utf8')).toBe('a\nb\nc\n');
  });
});

describe('readLastLines', () => {
  it('returns the last n lines, [] for a missing file', async () => {
    const f = path.join(dir, 'f.txt');
    await fs.writeFile(f, 'a\nb\nc\n');
    expect(await readLastLines(f, 2)).toEqual(['b', 'c']);
    expect(await readLastLines(f, 10)).toEqual(['a', 'b', 'c']);
    expect(await readLastLines(path.join(dir, 'none'), 5)).toEqual([]);
  });
});

describe('commandIdentity', () => {
  it('is stable, uses the basename of argv[0] and sorts env entries', async () => {
    const a = await commandIdentity({ argv: ['sh', '-c', 'echo 1'], env: { B: '2', A: '1' } });
    const b = await commandIdentity({ argv: [await resolveExecutable('sh'), '-c', 'echo 1'], env: { A: '1', B: '2' }, cwd: dir });
    expect(a).toEqual(b);
    expect(a.argv).toEqual(['sh', '-c', 'echo 1']);
    expect(a.env).toEqual([['A', '1'], ['B', '2']]);
    expect(a.binaryHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
  });

  it('changes with the arguments and the env, not with cwd', async () => {
    const base = await commandIdentity({ argv: ['sh', '-c', 'echo 1'], cwd: dir });
    expect(await commandIdentity({ argv: ['sh', '-c', 'echo 2'] })).not.toEqual(base);
    expect(await commandIdentity({ argv: ['sh', '-c', 'echo 1'], env: { X: '1' } })).not.toEqual(base);
    expect(await commandIdentity({ argv: ['sh', '-c', 'echo 1'], cwd: os.tmpdir() })).toEqual(base);
  });

  it('changes when the executable file changes', async () => {
    const script = await writeScript('model.sh', 'echo v1');
    const before = await commandIdentity({ argv: [script, '--year', '2030'] });
    await writeScript('model.sh', 'echo v2');
    const after = await commandIdentity({ argv: [script, '--year', '2030'] });
    expect(after.binaryHash).not.toBe(before.binaryHash);
    expect(after.argv).toEqual(['model.sh', '--year', '2030']);
  });

  it('throws COMMAND_NOT_FOUND for an unknown binary', async () => {
    expect((await caught(commandIdentity({ argv: ['consist-no-such-binary-xyz'] }))).code).toBe('COMMAND_NOT_FOUND');
  });
});
