import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Table } from 'apache-arrow';
import { Input } from '../../../src/index';
import { Step } from '../../../src/index';
import type { Tracker } from '../../../src/index';
import type { Artifact } from '../../../src/index';
import { StepBase } from '../../../src/index';
import { memoryLogger, openTestTracker, tmpWorkspace, type Workspace } from '../../helpers/workspace';

const BYTES = 'id,v\n1,10\n2,20\n';
let downCalls = 0;
let downSawRows = -1;

@Step({ name: 'Producer', outputs: ['mid'], codeVersion: '1' })
class ProducerV1 extends StepBase {
  async run(): Promise<{ mid: string }> {
    const file = path.join(this.ctx.runDir, 'mid.csv');
    writeFileSync(file, BYTES);
    return { mid: file };
  }
}

@Step({ name: 'Producer', outputs: ['mid'], codeVersion: '2' })
class ProducerV2 extends ProducerV1 {}

@Step({ name: 'Consumer', outputs: ['summary', 'notes'], codeVersion: '1' })
class Consumer extends StepBase {
  async run(@Input('mid') mid: Table): Promise<{ summary: Record<string, unknown>[]; notes: string }> {
    downCalls++;
    downSawRows = mid.numRows;
    const notes = path.join(this.ctx.runDir, 'notes.txt');
    writeFileSync(notes, `rows=${mid.numRows}\n`);
    return { summary: [{ rows: mid.numRows }], notes };
  }
}

/** Every file under `root` (relative path → size:mtime); the tracker's DB and `.consist` bookkeeping are excluded. */
function tree(root: string, rel = '', out = new Map<string, string>()): Map<string, string> {
  for (const e of readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (r !== 'runs/.consist') tree(root, r, out);
    }
    else if (!/provenance\.duckdb/.test(e.name)) {
      const st = statSync(path.join(root, r));
      out.set(r, `${st.size}:${st.mtimeMs}`);
    }
  }
  return out;
}

/** Files added or changed between two trees, and files removed. */
function diff(before: Map<string, string>, after: Map<string, string>): { written: string[]; removed: string[] } {
  const written = [...after].filter(([p, sig]) => before.get(p) !== sig).map(([p]) => p).sort();
  const removed = [...before.keys()].filter((p) => !after.has(p)).sort();
  return { written, removed };
}

describe('cache hydration', () => {
  let ws: Workspace;
  let tracker: Tracker;
  let logger: ReturnType<typeof memoryLogger>;
  const rel = (p: string) => path.relative(ws.dir, p).split(path.sep).join('/');

  beforeEach(async () => {
    downCalls = 0;
    downSawRows = -1;
    ws = tmpWorkspace();
    logger = memoryLogger();
    tracker = await openTestTracker(ws, { logger });
  });
  afterEach(async () => {
    await tracker.close();
    ws.cleanup();
  });

  describe("'inputs-missing'", () => {
    it('restores a deleted input from another recorded copy with the same hash before executing a miss', async () => {
      const v1 = await tracker.run(ProducerV1);
      const v2 = await tracker.run(ProducerV2);
      expect(v2.outputs.mid.hash).toBe(v1.outputs.mid.hash);
      rmSync(v2.outputs.mid.path);

      const before = tree(ws.dir);
      const r = await tracker.run(Consumer, { inputs: { mid: v2.outputs.mid }, cacheHydration: 'inputs-missing' });
      expect(r.cacheHit).toBe(false);
      expect(readFileSync(v2.outputs.mid.path, 'utf8')).toBe(BYTES);
      expect(downSawRows).toBe(2);
      const runFiles = [`runs/${r.run.id}/consist.json`, `runs/${r.run.id}/notes.txt`, `runs/${r.run.id}/summary.parquet`];
      expect(diff(before, tree(ws.dir))).toEqual({ written: [rel(v2.outputs.mid.path), ...runFiles].sort(), removed: [] });
    });

    it('never overwrites an input file that exists, even with other bytes', async () => {
      const v1 = await tracker.run(ProducerV1);
      await tracker.run(ProducerV2);
      const edited = 'id,v\n1,10\n2,20\n3,30\n';
      writeFileSync(v1.outputs.mid.path, edited);
      const r = await tracker.run(Consumer, { inputs: { mid: v1.outputs.mid }, cacheHydration: 'inputs-missing' });
      expect(r.cacheHit).toBe(false);
      expect(readFileSync(v1.outputs.mid.path, 'utf8')).toBe(edited);
      expect(downSawRows).toBe(3);
    });

    it('warns and fails the run with ARTIFACT_NOT_FOUND when no copy of a missing input exists', async () => {
      const v1 = await tracker.run(ProducerV1);
      rmSync(v1.outputs.mid.path);
      await expect(tracker.run(Consumer, { inputs: { mid: v1.outputs.mid }, cacheHydration: 'inputs-missing' }))
        .rejects.toMatchObject({ code: 'ARTIFACT_NOT_FOUND' });
      expect(logger.warnings.some((w) => w.includes("Input 'mid' is missing"))).toBe(true);
      expect(downCalls).toBe(0);
    });
  });

  describe('on a hit', () => {
    let first: Awaited<ReturnType<Tracker['run']>>;
    let mid: Artifact;
    beforeEach(async () => {
      mid = (await tracker.run(ProducerV1)).outputs.mid;
      first = await tracker.run(Consumer, { inputs: { mid } });
    });

    it("'metadata' copies nothing and only records the hit run", async () => {
      const before = tree(ws.dir);
      const hit = await tracker.run(Consumer, { inputs: { mid } });
      expect(hit.cacheHit).toBe(true);
      expect(diff(before, tree(ws.dir))).toEqual({ written: [`runs/${hit.run.id}/consist.json`], removed: [] });
    });

    it("'outputs-requested' writes exactly the requested destinations", async () => {
      const dest = ws.path('out', 'deep', 'summary-copy.parquet');
      const before = tree(ws.dir);
      const hit = await tracker.run(Consumer, {
        inputs: { mid },
        cacheHydration: 'outputs-requested', hydrateTo: { summary: dest },
      });
      expect(hit.cacheHit).toBe(true);
      expect(hit.run.meta.hydrated).toEqual({ summary: dest });
      expect(readFileSync(dest)).toEqual(readFileSync(first.outputs.summary.path));
      expect(diff(before, tree(ws.dir))).toEqual({ written: ['out/deep/summary-copy.parquet', `runs/${hit.run.id}/consist.json`], removed: [] });
      expect(downCalls).toBe(1);
    });

    it("'outputs-all' writes every output into hydrateDir and nowhere else", async () => {
      const before = tree(ws.dir);
      const hit = await tracker.run(Consumer, { inputs: { mid }, cacheHydration: 'outputs-all', hydrateDir: ws.path('all') });
      expect(hit.cacheHit).toBe(true);
      expect(diff(before, tree(ws.dir))).toEqual({
        written: ['all/notes.txt', 'all/summary.parquet', `runs/${hit.run.id}/consist.json`], removed: [],
      });
      expect(readFileSync(ws.path('all', 'notes.txt'), 'utf8')).toBe('rows=2\n');
    });
  });
});
