import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Step } from '../../../src/index';
import { ConsistError } from '../../../src/index';
import type { Tracker } from '../../../src/index';
import { StepBase } from '../../../src/index';
import type { StepContext } from '../../../src/index';
import { openTestTracker, tmpWorkspace, type Workspace } from '../../helpers/workspace';

async function caught(p: Promise<unknown>): Promise<ConsistError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(ConsistError);
  return e as ConsistError;
}

describe('dependsOn and captured outputs', () => {
  let ws: Workspace;
  let tracker: Tracker;
  beforeEach(async () => {
    ws = tmpWorkspace('consist-capture-');
    tracker = await openTestTracker(ws);
  });
  afterEach(async () => {
    await tracker.close();
    ws.cleanup();
  });

  it('misses when a file listed in dependsOn is edited, and hits otherwise', async () => {
    const config = ws.file('config.yaml', 'threads: 2\n');
    let calls = 0;
    const step = () => ({
      name: 'configured', codeVersion: '1', dependsOn: [config],
      fn: async (_: unknown, ctx: StepContext) => {
        calls++;
        return { n: await ctx.logTable([{ n: calls }], { key: 'n' }) };
      },
    });
    expect((await tracker.run(step())).cacheHit).toBe(false);
    expect((await tracker.run(step())).cacheHit).toBe(true);
    writeFileSync(config, 'threads: 4\n');
    const r = await tracker.run(step());
    expect(r.cacheHit).toBe(false);
    expect(r.cacheMissReason).toMatchObject({ reason: 'inputs_changed', details: { inputsChanged: [{ key: 'dependsOn:config.yaml', change: 'content' }] } });
    expect(calls).toBe(2);
  });

  it('hashes dependsOn files of an external command too', async () => {
    const config = ws.file('model.yaml', 'a: 1\n');
    const out = ws.path('out.txt');
    // dependsOn, like inputs and outputs, is relative to the command's cwd.
    const cmd = () => ({ name: 'model', command: ['sh', '-c', 'cat "$1" > "$2"', 'sh', config, out], cwd: ws.dir, dependsOn: ['model.yaml'], outputs: { out } });
    await tracker.runCommand(cmd());
    expect((await tracker.runCommand(cmd())).cacheHit).toBe(true);
    writeFileSync(config, 'a: 2\n');
    expect((await tracker.runCommand(cmd())).cacheHit).toBe(false);
    expect(readFileSync(out, 'utf8')).toBe('a: 2\n');
  });

  it('captures files created or modified in a folder as outputs keyed by their path relative to it, without extension', async () => {
    const dir = ws.path('tool-out');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'untouched.csv'), 'old\n');
    const r = await tracker.run({
      name: 'legacy', codeVersion: '1', outputs: ['trips', 'sub/persons'],
      fn: async (_: unknown, ctx: StepContext) => {
        const captured = await ctx.captureOutputs(dir, { pattern: '**/*.csv' }, async () => {
          writeFileSync(path.join(dir, 'trips.csv'), 'id\n1\n');
          mkdirSync(path.join(dir, 'sub'));
          writeFileSync(path.join(dir, 'sub', 'persons.csv'), 'id\n2\n');
          writeFileSync(path.join(dir, 'notes.txt'), 'not matched\n');
        });
        expect(captured.map((a) => a.key).sort()).toEqual(['sub/persons', 'trips']);
        return {};
      },
    });
    expect(Object.keys(r.outputs).sort()).toEqual(['sub/persons', 'trips']);
    expect(readFileSync(r.outputs['sub/persons'].path, 'utf8')).toBe('id\n2\n');
  });

  it('fails with CAPTURE_COLLISION naming both files when two captured files share a stem', async () => {
    const dir = ws.path('tool-out');
    mkdirSync(dir);
    const e = await caught(tracker.run({
      name: 'colliding', codeVersion: '1',
      fn: async (_: unknown, ctx: StepContext) => {
        await ctx.captureOutputs(dir, {}, async () => {
          writeFileSync(path.join(dir, 'result.csv'), 'a\n');
          writeFileSync(path.join(dir, 'result.parquet'), 'b\n');
        });
        return {};
      },
    }));
    expect(e.code).toBe('CAPTURE_COLLISION');
    expect(e.message).toContain('result.csv');
    expect(e.message).toContain('result.parquet');
    expect((await tracker.findRuns({ name: 'colliding' }))[0].status).toBe('failed');
  });

  it('captures the captureDir of a @Step class (relative to the run folder), and hits on repeat', async () => {
    let calls = 0;
    @Step({ outputs: ['summary'], codeVersion: '1', captureDir: 'tool', capturePattern: '*.csv' })
    class LegacyTool extends StepBase {
      async run(): Promise<Record<string, never>> {
        calls++;
        mkdirSync(path.join(this.ctx.runDir, 'tool'), { recursive: true });
        writeFileSync(path.join(this.ctx.runDir, 'tool', 'summary.csv'), 'total\n3\n');
        writeFileSync(path.join(this.ctx.runDir, 'tool', 'debug.log'), 'ignored\n');
        return {};
      }
    }
    const first = await tracker.run(LegacyTool);
    expect(Object.keys(first.outputs)).toEqual(['summary']);
    expect(first.outputs.summary.path).toBe(path.join(tracker.runDir, first.run.id, 'tool', 'summary.csv'));
    expect(existsSync(first.outputs.summary.path)).toBe(true);
    const second = await tracker.run(LegacyTool);
    expect(second.cacheHit).toBe(true);
    expect(second.outputs.summary.id).toBe(first.outputs.summary.id);
    expect(calls).toBe(1);
  });

  it('fails with CAPTURE_COLLISION for a @Step captureDir whose files collide', async () => {
    @Step({ codeVersion: '1', captureDir: 'tool' })
    class Colliding extends StepBase {
      async run(): Promise<Record<string, never>> {
        // Same path without extension (a/x.csv, a/x.json): one key, a collision.
        mkdirSync(path.join(this.ctx.runDir, 'tool', 'a'), { recursive: true });
        writeFileSync(path.join(this.ctx.runDir, 'tool', 'a', 'x.csv'), '1\n');
        writeFileSync(path.join(this.ctx.runDir, 'tool', 'a', 'x.json'), '{}\n');
        return {};
      }
    }
    const e = await caught(tracker.run(Colliding));
    expect(e.code).toBe('CAPTURE_COLLISION');
    expect(e.message).toMatch(/a\/x\.csv.*a\/x\.json/);
  });

  it('rejects a non-string captureDir with METADATA_INVALID_OPTION', async () => {
    @Step({ codeVersion: '1', captureDir: 42 as unknown as string })
    class Bad extends StepBase {
      async run(): Promise<Record<string, never>> {
        return {};
      }
    }
    // compileStep throws synchronously from tracker.run, hence the wrapping promise.
    const e = await caught(Promise.resolve().then(() => tracker.run(Bad)));
    expect(e.code).toBe('METADATA_INVALID_OPTION');
  });
});
