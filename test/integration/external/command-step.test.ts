import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ConsistError } from '../../../src/index';
import type { Tracker } from '../../../src/index';
import type { RunCommandOptions } from '../../../src/index';
import { openTestTracker, tmpWorkspace, type Workspace } from '../../helpers/workspace';

async function caught(p: Promise<unknown>): Promise<ConsistError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(ConsistError);
  return e as ConsistError;
}

describe('tracker.runCommand', () => {
  let ws: Workspace;
  let tracker: Tracker;
  let counter: string;
  let input: string;
  let output: string;

  beforeEach(async () => {
    ws = tmpWorkspace('consist-cmd-');
    counter = ws.path('counter.txt');
    input = ws.file('data/input.csv', 'id,value\n1,2\n');
    output = ws.path('out/result.csv');
    ws.file('out/.keep', '');
    tracker = await openTestTracker(ws);
  });
  afterEach(async () => {
    await tracker.close();
    ws.cleanup();
  });

  /** Appends a line to the counter file on every real execution, then copies the input. */
  function copyStep(overrides: Partial<RunCommandOptions> = {}): RunCommandOptions {
    return {
      name: 'copy',
      command: ['sh', '-c', 'echo ran >> "$1"; echo "copy $2" ; cat "$2" > "$3"', 'sh', counter, input, output],
      inputs: [input], outputs: { result: output },
      ...overrides,
    };
  }
  const executions = () => (existsSync(counter) ? readFileSync(counter, 'utf8').split('\n').filter(Boolean).length : 0);

  it('misses, then hits without starting the process again', async () => {
    const first = await tracker.runCommand(copyStep());
    expect(first.cacheHit).toBe(false);
    expect(readFileSync(first.outputs.result.path, 'utf8')).toBe('id,value\n1,2\n');
    const second = await tracker.runCommand(copyStep());
    expect(second.cacheHit).toBe(true);
    expect(second.run.reusedRunId).toBe(first.run.id);
    expect(second.outputs.result.id).toBe(first.outputs.result.id);
    expect(executions()).toBe(1);
  });

  it("shares its cache with the tracker.run({ executor: 'command' }) form", async () => {
    await tracker.run({ executor: 'command', ...copyStep() });
    expect((await tracker.runCommand(copyStep())).cacheHit).toBe(true);
    expect(executions()).toBe(1);
  });

  it('saves stdout and stderr in the run folder', async () => {
    const r = await tracker.runCommand(copyStep({ command: ['sh', '-c', 'echo to-out; echo to-err >&2; echo x > "$1"', 'sh', output] }));
    const folder = path.join(tracker.runDir, r.run.id);
    expect(readFileSync(path.join(folder, 'stdout.log'), 'utf8')).toBe('to-out\n');
    expect(readFileSync(path.join(folder, 'stderr.log'), 'utf8')).toBe('to-err\n');
  });

  it('accepts inputs as a key → path map, resolving relative paths against cwd', async () => {
    const r = await tracker.runCommand(copyStep({ cwd: path.dirname(input), inputs: { raw: 'input.csv' } }));
    const { inputs } = await tracker.getArtifactsForRun(r.run.id);
    expect(Object.keys(inputs)).toEqual(['raw']);
    expect(inputs.raw.path).toBe(input);
  });

  it('misses when an argument changes, naming it in the explanation', async () => {
    await tracker.runCommand(copyStep());
    const r = await tracker.runCommand(copyStep({ command: [...copyStep().command, 'extra'] }));
    expect(r.cacheHit).toBe(false);
    expect(r.cacheMissReason).toMatchObject({ reason: 'config_changed', details: { configKeysChanged: ['command.argv[7]'] } });
    expect(executions()).toBe(2);
  });

  it('misses when a passed env entry changes', async () => {
    await tracker.runCommand(copyStep({ env: { THREADS: '2' } }));
    const same = await tracker.runCommand(copyStep({ env: { THREADS: '2' } }));
    const r = await tracker.runCommand(copyStep({ env: { THREADS: '4' } }));
    expect([same.cacheHit, r.cacheHit]).toEqual([true, false]);
    expect(r.cacheMissReason?.details.configKeysChanged).toEqual(['command.env.THREADS']);
    expect(executions()).toBe(2);
  });

  it('misses when the executable bytes change (a script with a shebang)', async () => {
    const script = ws.file('bin/model.sh', `#!/bin/sh\necho v1 >> "${counter}"\necho v1 > "${output}"\n`);
    chmodSync(script, 0o755);
    const step = copyStep({ command: [script], inputs: [] });
    expect((await tracker.runCommand(step)).cacheHit).toBe(false);
    expect((await tracker.runCommand(step)).cacheHit).toBe(true);
    writeFileSync(script, `#!/bin/sh\necho v2 >> "${counter}"\necho v2 > "${output}"\n`);
    const r = await tracker.runCommand(step);
    expect(r.cacheHit).toBe(false);
    expect(r.cacheMissReason?.reason).toBe('code_changed');
    expect(readFileSync(output, 'utf8')).toBe('v2\n');
    expect(executions()).toBe(2);
  });

  it('misses when input content changes', async () => {
    await tracker.runCommand(copyStep());
    writeFileSync(input, 'id,value\n1,3\n');
    const r = await tracker.runCommand(copyStep());
    expect(r.cacheHit).toBe(false);
    expect(r.cacheMissReason).toMatchObject({ reason: 'inputs_changed', details: { inputsChanged: [{ key: 'input', change: 'content' }] } });
  });

  it('hits when only cwd or an env variable that is not passed changes', async () => {
    const before = process.env.CONSIST_TEST_UNPASSED;
    try {
      process.env.CONSIST_TEST_UNPASSED = 'a';
      await tracker.runCommand(copyStep({ cwd: ws.path('data') }));
      process.env.CONSIST_TEST_UNPASSED = 'b';
      const r = await tracker.runCommand(copyStep({ cwd: ws.path('out') }));
      expect(r.cacheHit).toBe(true);
      expect(executions()).toBe(1);
    } finally {
      if (before === undefined) delete process.env.CONSIST_TEST_UNPASSED;
      else process.env.CONSIST_TEST_UNPASSED = before;
    }
  });

  it('treats sh and its absolute path as the same program', async () => {
    await tracker.runCommand(copyStep());
    const sh = execFileSync('sh', ['-c', 'command -v sh'], { encoding: 'utf8' }).trim();
    expect(path.isAbsolute(sh)).toBe(true);
    const r = await tracker.runCommand(copyStep({ command: [sh, ...copyStep().command.slice(1)] }));
    expect(r.cacheHit).toBe(true);
  });

  it('fails with COMMAND_FAILED carrying the exit code and stderr tail, recording a failed run', async () => {
    const e = await caught(tracker.runCommand({ name: 'broken', command: ['sh', '-c', 'echo first >&2; echo boom-line >&2; exit 3'] }));
    expect(e.code).toBe('COMMAND_FAILED');
    expect(e.message).toContain('code 3');
    expect(e.message).toContain('boom-line');
    const runs = await tracker.findRuns({ name: 'broken' });
    expect(runs.map((r) => r.status)).toEqual(['failed']);
    expect(readFileSync(path.join(tracker.runDir, runs[0].id, 'stderr.log'), 'utf8')).toContain('boom-line');
  });

  it('fails with COMMAND_NOT_FOUND before any run is recorded', async () => {
    const e = await caught(tracker.runCommand({ name: 'ghost', command: ['consist-no-such-binary-xyz', '--help'] }));
    expect(e.code).toBe('COMMAND_NOT_FOUND');
    expect(await tracker.findRuns({})).toEqual([]);
  });

  it('fails with OUTPUT_MISSING when a declared output was not written', async () => {
    const e = await caught(tracker.runCommand(copyStep({ command: ['true'], outputs: { result: ws.path('out/never.csv') } })));
    expect(e.code).toBe('OUTPUT_MISSING');
    expect((await tracker.findRuns({ name: 'copy' }))[0].status).toBe('failed');
  });

  it('rejects two list inputs with the same file stem', async () => {
    const other = ws.file('other/input.csv', 'x\n');
    const e = await caught(tracker.runCommand(copyStep({ inputs: [input, other] })));
    expect(e.code).toBe('CONFIGURATION_INVALID');
  });
});
