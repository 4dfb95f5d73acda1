import { utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
// A value import: emitDecoratorMetadata needs the class to bind the parameter as a loaded table.
import { Table } from 'apache-arrow';
import { Input } from '../../../src/index';
import { Step } from '../../../src/index';
import type { Tracker } from '../../../src/index';
import type { HashingMode } from '../../../src/index';
import { StepBase } from '../../../src/index';
import { openTestTracker, tmpWorkspace, type Workspace } from '../../helpers/workspace';

/** What the upstream step writes; not part of any signature, so tests can keep or change the bytes. */
let upstreamBytes = 'id,v\n1,10\n2,20\n';
let upCalls = 0;
let downCalls = 0;
/** Rows the downstream step last read. */
let downSawRows = -1;

@Step({ name: 'Upstream', outputs: ['mid'], codeVersion: '1' })
class UpstreamV1 extends StepBase {
  async run(): Promise<{ mid: string }> {
    upCalls++;
    const file = path.join(this.ctx.runDir, String(this.ctx.runtime.fileName ?? 'mid.csv'));
    writeFileSync(file, upstreamBytes);
    return { mid: file };
  }
}

@Step({ name: 'Upstream', outputs: ['mid'], codeVersion: '2' })
class UpstreamV2 extends UpstreamV1 {}

@Step({ name: 'Downstream', outputs: ['summary'], codeVersion: '1' })
class Downstream extends StepBase {
  async run(@Input('mid') mid: Table): Promise<{ summary: Record<string, unknown>[] }> {
    downCalls++;
    downSawRows = mid.numRows;
    return { summary: [{ rows: mid.numRows }] };
  }
}

describe('Merkle links and early cut-off', () => {
  let ws: Workspace;
  let tracker: Tracker;
  const open = async (hashing: HashingMode) => { tracker = await openTestTracker(ws, { hashing }); };

  beforeEach(() => {
    upstreamBytes = 'id,v\n1,10\n2,20\n';
    upCalls = 0;
    downCalls = 0;
    ws = tmpWorkspace();
  });
  afterEach(async () => {
    await tracker.close();
    ws.cleanup();
  });

  describe("under 'full' hashing", () => {
    beforeEach(() => open('full'));

    it('hits downstream when the upstream re-ran with new code but wrote byte-identical output', async () => {
      const v1 = await tracker.run(UpstreamV1);
      const d1 = await tracker.run(Downstream, { inputs: { mid: v1.outputs.mid } });
      const v2 = await tracker.run(UpstreamV2);
      expect(v2.cacheHit).toBe(false);
      expect(v2.cacheMissReason?.reason).toBe('code_changed');
      expect(v2.outputs.mid.runId).toBe(v2.run.id);
      expect(v2.outputs.mid.hash).toBe(v1.outputs.mid.hash);

      const d2 = await tracker.run(Downstream, { inputs: { mid: v2.outputs.mid } });
      expect(d2.cacheHit).toBe(true);
      expect(d2.run.reusedRunId).toBe(d1.run.id);
      expect(upCalls).toBe(2);
      expect(downCalls).toBe(1);
    });

    it('hits when the upstream output is passed by path, linking it to its producer', async () => {
      const v1 = await tracker.run(UpstreamV1);
      await tracker.run(Downstream, { inputs: { mid: v1.outputs.mid } });
      const v2 = await tracker.run(UpstreamV2);
      const d2 = await tracker.run(Downstream, { inputs: { mid: v2.outputs.mid.path } });
      expect(d2.cacheHit).toBe(true);
      const inputs = (await tracker.getArtifactsForRun(d2.run.id)).inputs;
      expect(inputs.mid.runId).toBe(v2.run.id);
    });

    it('misses downstream with inputs_changed when the upstream output bytes changed', async () => {
      const v1 = await tracker.run(UpstreamV1);
      const d1 = await tracker.run(Downstream, { inputs: { mid: v1.outputs.mid } });
      upstreamBytes = 'id,v\n1,10\n2,20\n3,30\n';
      const v2 = await tracker.run(UpstreamV2);
      expect(v2.outputs.mid.hash).not.toBe(v1.outputs.mid.hash);

      const d2 = await tracker.run(Downstream, { inputs: { mid: v2.outputs.mid } });
      expect(d2.cacheHit).toBe(false);
      expect(d2.cacheMissReason).toMatchObject({
        reason: 'inputs_changed', comparedRunId: d1.run.id, mismatchedComponents: ['inputs'],
        details: { inputsChanged: [{ key: 'mid', change: 'content' }] },
      });
      expect(downSawRows).toBe(3);
      expect(downCalls).toBe(2);
    });

    it('never misses because an upstream output file was renamed', async () => {
      const first = await tracker.run(UpstreamV1, { runtime: { fileName: 'mid.csv' } });
      await tracker.run(Downstream, { inputs: { mid: first.outputs.mid } });
      const renamed = await tracker.run(UpstreamV1, { runtime: { fileName: 'renamed.csv' }, cacheMode: 'overwrite' });
      expect(path.basename(renamed.outputs.mid.path)).toBe('renamed.csv');
      expect(renamed.outputs.mid.uri).not.toBe(first.outputs.mid.uri);

      const d2 = await tracker.run(Downstream, { inputs: { mid: renamed.outputs.mid } });
      expect(d2.cacheHit).toBe(true);
      expect(downCalls).toBe(1);
    });
  });

  describe("under 'fast' hashing", () => {
    beforeEach(() => open('fast'));

    it('misses downstream when the producer signature changed, even for identical bytes (Merkle link)', async () => {
      const v1 = await tracker.run(UpstreamV1);
      const d1 = await tracker.run(Downstream, { inputs: { mid: v1.outputs.mid } });
      expect(v1.outputs.mid.hash).toMatch(/^fast:/);
      const v2 = await tracker.run(UpstreamV2);
      expect(v2.run.signature).not.toBe(v1.run.signature);

      const d2 = await tracker.run(Downstream, { inputs: { mid: v2.outputs.mid } });
      expect(d2.cacheHit).toBe(false);
      expect(d2.cacheMissReason).toMatchObject({
        reason: 'inputs_changed', comparedRunId: d1.run.id,
        details: { inputsChanged: [{ key: 'mid', change: 'producer' }] },
      });
      const contributions = (d2.run.meta.identity as { inputs: { contribution: string }[] }).inputs;
      expect(contributions).toEqual([expect.objectContaining({ key: 'mid', contribution: `sig:${v2.run.signature}` })]);
      expect(downCalls).toBe(2);
    });

    it('hits downstream when the producer is a cache hit of the same signature', async () => {
      const v1 = await tracker.run(UpstreamV1);
      await tracker.run(Downstream, { inputs: { mid: v1.outputs.mid } });
      const again = await tracker.run(UpstreamV1);
      expect(again.cacheHit).toBe(true);
      const d2 = await tracker.run(Downstream, { inputs: { mid: again.outputs.mid } });
      expect(d2.cacheHit).toBe(true);
      expect(downCalls).toBe(1);
    });

    it('never misses because the producer wrote its output under another file name', async () => {
      const first = await tracker.run(UpstreamV1, { runtime: { fileName: 'mid.csv' } });
      await tracker.run(Downstream, { inputs: { mid: first.outputs.mid } });
      const renamed = await tracker.run(UpstreamV1, { runtime: { fileName: 'other-name.csv' }, cacheMode: 'overwrite' });
      expect(renamed.run.signature).toBe(first.run.signature);
      const d2 = await tracker.run(Downstream, { inputs: { mid: renamed.outputs.mid } });
      expect(d2.cacheHit).toBe(true);
    });

    it('misses for a raw input file when only its modification time changed', async () => {
      const raw = ws.file('raw.csv', 'id,v\n1,1\n');
      const { cacheHit } = await tracker.run(Downstream, { inputs: { mid: raw } });
      expect(cacheHit).toBe(false);
      writeFileSync(raw, 'id,v\n1,1\n');
      const later = new Date(Date.now() + 60_000); // a different mtime whatever the clock's resolution or the machine's speed
      utimesSync(raw, later, later);
      const touched = await tracker.run(Downstream, { inputs: { mid: raw } });
      expect(touched.cacheHit).toBe(false);
      expect(touched.cacheMissReason?.details.inputsChanged).toEqual([{ key: 'mid', change: 'content' }]);
    });
  });
});

describe('miss explanation after a code version bump', () => {
  it('compares against the run that differs only in code, not a newer run that also differs in config', async () => {
    const ws = tmpWorkspace();
    const tracker = await openTestTracker(ws);
    try {
      @Step({ name: 'Tuned', outputs: ['out'], codeVersion: '1' })
      class TunedV1 extends StepBase {
        async run() { return { out: [{ ok: 1 }] }; }
      }
      @Step({ name: 'Tuned', outputs: ['out'], codeVersion: '2' })
      class TunedV2 extends TunedV1 {}
      const base = await tracker.run(TunedV1, { config: { k: 1 } });
      await tracker.run(TunedV1, { config: { k: 2 } });
      const bumped = await tracker.run(TunedV2, { config: { k: 1 } });
      expect(bumped.cacheMissReason).toMatchObject({ reason: 'code_changed', comparedRunId: base.run.id, mismatchedComponents: ['code'] });
    } finally {
      await tracker.close();
      ws.cleanup();
    }
  });
});
