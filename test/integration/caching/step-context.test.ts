import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { container as rootContainer, injectable, type DependencyContainer } from 'tsyringe';
import { Input } from '../../../src/index';
import { Step } from '../../../src/index';
import { Tracker } from '../../../src/index';
import type { Artifact } from '../../../src/index';
import { StepBase } from '../../../src/index';
import { StepContext } from '../../../src/index';
import { memoryLogger, openTestTracker, tmpWorkspace, type Workspace } from '../../helpers/workspace';

describe('steps at run time', () => {
  let ws: Workspace;
  let tracker: Tracker;
  let raw: string;

  beforeEach(async () => {
    ws = tmpWorkspace();
    raw = ws.file('data/raw.csv', 'id,v\n1,2\n');
  });
  afterEach(async () => {
    await tracker.close();
    ws.cleanup();
  });

  describe('StepContext', () => {
    beforeEach(async () => { tracker = await openTestTracker(ws); });

    it('exposes runId, runDir, year, iteration and runtime in run(), as this.ctx and as a parameter', async () => {
      const seen: Array<{ same: boolean; ctx: StepContext; dirExisted: boolean }> = [];
      @Step({ outputs: ['out'], codeVersion: '1' })
      class Sees extends StepBase {
        async run(@Input('raw') file: string, ctx: StepContext) {
          seen.push({ same: ctx === this.ctx, ctx, dirExisted: existsSync(ctx.runDir) });
          return { out: file };
        }
      }
      const r = await tracker.run(Sees, { inputs: { raw }, year: 2030, iteration: 2, runtime: { threads: 8 } });
      expect(seen).toHaveLength(1);
      const { same, ctx, dirExisted } = seen[0];
      expect(same).toBe(true);
      expect(dirExisted).toBe(true);
      expect(ctx).toMatchObject({ runId: r.run.id, runDir: path.join(tracker.runDir, r.run.id), year: 2030, iteration: 2 });
      expect(ctx.runtime).toEqual({ threads: 8 });
      expect(Object.isFrozen(ctx.runtime)).toBe(true);

      const other = await tracker.run(Sees, { inputs: { raw }, year: 2030, iteration: 2, runtime: { threads: 1 } });
      expect(other.cacheHit).toBe(true);
      const nextYear = await tracker.run(Sees, { inputs: { raw }, year: 2031, iteration: 2 });
      expect(nextYear.cacheHit).toBe(false);
      expect(nextYear.cacheMissReason?.details.runFieldsChanged).toEqual(['year']);
      expect(seen.map((s) => s.ctx.year)).toEqual([2030, 2031]);
    });

    it('records outputs logged with ctx.logTable, ctx.logOutput and ctx.captureOutputs, and returns them on a hit', async () => {
      let calls = 0;
      @Step({ outputs: ['main'], codeVersion: '1' })
      class Logs extends StepBase {
        async run() {
          calls++;
          await this.ctx.logTable([{ a: 1 }, { a: 2 }], { key: 'extra_table' });
          writeFileSync(path.join(this.ctx.runDir, 'notes.txt'), 'hello');
          await this.ctx.logOutput('notes.txt', 'notes');
          const dir = path.join(this.ctx.runDir, 'captured');
          await this.ctx.captureOutputs(dir, { pattern: '*.csv' }, async () => {
            mkdirSync(dir);
            writeFileSync(path.join(dir, 'zones.csv'), 'z\n1\n');
            writeFileSync(path.join(dir, 'ignored.txt'), 'no');
          });
          return { main: [{ b: 1 }] };
        }
      }
      const first = await tracker.run(Logs);
      // Outputs logged through the context are not part of run()'s return type.
      const outs: Record<string, Artifact> = first.outputs;
      const keys = ['extra_table', 'main', 'notes', 'zones'];
      expect(Object.keys(first.outputs).sort()).toEqual(keys);
      expect(outs.notes.path).toBe(path.join(tracker.runDir, first.run.id, 'notes.txt'));
      const recorded = await tracker.getArtifactsForRun(first.run.id);
      expect(Object.keys(recorded.outputs).sort()).toEqual(keys);
      for (const a of Object.values(recorded.outputs)) expect(a.runId).toBe(first.run.id);
      expect((await tracker.load(outs.extra_table)).numRows).toBe(2);

      const hit = await tracker.run(Logs);
      expect(hit.cacheHit).toBe(true);
      expect(Object.keys(hit.outputs).sort()).toEqual(keys);
      expect((hit.outputs as Record<string, Artifact>).notes.id).toBe(outs.notes.id);
      expect(calls).toBe(1);
    });
  });

  describe('input binding', () => {
    beforeEach(async () => { tracker = await openTestTracker(ws); });

    it('hands an Artifact-typed parameter the record and a string-typed parameter the local path', async () => {
      const got: unknown[] = [];
      @Step({ outputs: ['out'], codeVersion: '1' })
      class Binds extends StepBase {
        async run(@Input('record') record: Artifact, @Input('file') file: string) {
          got.push(record, file);
          return { out: file };
        }
      }
      const other = ws.file('data/other.csv', 'x\n1\n');
      await tracker.run(Binds, { inputs: { record: raw, file: other } });
      const [record, file] = got as [Artifact, string];
      expect(file).toBe(other);
      expect(record).toMatchObject({ key: 'record', path: raw, driver: 'csv', runId: null });
      expect(record.hash).toMatch(/^sha256:/);
      expect(typeof record.id).toBe('string');
    });
  });

  describe('dependency injection', () => {
    @injectable()
    class Greeter {
      readonly greeting = 'hello';
      greet(name: string): string { return `${this.greeting} ${name}`; }
    }

    let child: DependencyContainer;
    beforeEach(async () => {
      child = rootContainer.createChildContainer();
      child.registerSingleton(Greeter);
      tracker = await Tracker.open({ runDir: ws.path('runs'), logger: memoryLogger(), codeIdentity: 'class-source', container: child });
    });

    it('resolves step instances from the given container, so constructors can inject services', async () => {
      const greetings: string[] = [];
      @Step({ outputs: ['out'], codeVersion: '1' })
      class Greets extends StepBase {
        constructor(private readonly greeter: Greeter) { super(); }
        async run(@Input('raw') file: string) {
          greetings.push(this.greeter.greet(path.basename(file)));
          return { out: [{ ok: true }] };
        }
      }
      const r = await tracker.run(Greets, { inputs: { raw } });
      expect(r.cacheHit).toBe(false);
      expect(greetings).toEqual(['hello raw.csv']);
      expect(child.resolve(Tracker)).toBe(tracker);
      expect(rootContainer.isRegistered(Greeter)).toBe(false);
    });
  });
});
