import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { Tracker } from '../src/tracker/tracker';
import { slurm } from '../src/executors/slurm-executor';
import { SweepItemError } from '../src/errors';
import type { ExecutorSpec } from '../src/executors/executor';
import { silentLogger } from '../src/util/logger';
import { freshDir, type Bench, type BenchContext } from './context';
import { compare, summarize, timeOnce, timePair, type BenchResult } from './harness';
import { BurnCpu } from './sweep-step';

const one = (ms: number) => summarize([ms]);
/** Timed passes of the all-hits map and of its floor. */
const HIT_PASSES = 3;

async function withTracker<T>(ctx: BenchContext, name: string, fn: (t: Tracker) => Promise<T>): Promise<T> {
  const dir = await freshDir(ctx.workDir, name);
  const tracker = await Tracker.open({ runDir: path.join(dir, 'runs'), codeIdentity: 'class-source', lockMode: 'shared', logger: silentLogger });
  try {
    return await fn(tracker);
  } finally {
    await tracker.close();
  }
}

async function mapTime(tracker: Tracker, items: number, cpuMs: number, executor: ExecutorSpec, concurrency: number, seed = 0): Promise<number> {
  const list = Array.from({ length: items }, (_, i) => ({ config: { i: seed + i, cpuMs } }));
  let failed = 0;
  const ms = await timeOnce(async () => {
    failed = (await tracker.map(BurnCpu, list, { executor, concurrency })).filter((r) => r instanceof SweepItemError).length;
  });
  if (failed) throw new Error(`${failed} sweep items failed on ${typeof executor === 'string' ? executor : executor.kind}`);
  return ms;
}

function slurmAnswers(): boolean {
  const r = spawnSync('sinfo', ['-h'], { timeout: 15_000 });
  return r.status === 0;
}

/**
 * Sweeps (API.md §13): one-shot timings of local×2 vs inline throughput on CPU-bound steps and of
 * the per-item overhead of `local` and Slurm at 10 items (budget 1 s/item; sweeps are long), and
 * three passes of an all-hits map vs N single cache hits.
 */
export const sweepBench: Bench = {
  name: 'sweep',
  async run(ctx) {
    // Not reduced by --quick: starting two workers costs ≈ 0.5 s, which 40 items did not amortise
    // (local×2 1.6× of inline, all-hits map 3×, against 2.3–2.7× and 1.2–1.5× at 200).
    const n = 200;
    const rows: BenchResult[] = [];
    const inline = await withTracker(ctx, 'inline', (t) => mapTime(t, n, 50, 'inline', 1));
    const local = await withTracker(ctx, 'local', (t) => mapTime(t, n, 50, 'local', 2));
    ctx.log(`sweep: ${n} × 50 ms inline ${inline} ms, local×2 ${local} ms`);
    rows.push(compare(`sweep local×2 vs inline (${n} × 50 ms CPU)`, one(local), one(inline), '>= 1.7',
      { throughputAmount: n, unit: 'items/s', note: 'floor = inline sequential' }));

    const localOverhead = await withTracker(ctx, 'local-overhead', (t) => mapTime(t, 10, 0, 'local', 1));
    rows.push(compare('sweep local per-item overhead (10 items, 1 worker)', one(localOverhead / 10), one(1000), '<= 1',
      { note: 'floor = the 1 s/item budget; includes worker start' }));
    if (slurmAnswers()) {
      // concurrency 2 = this machine's cores: the default itemsPerTask packs the 10 items into 2 tasks
      const packed = await withTracker(ctx, 'slurm-packed', (t) => mapTime(t, 10, 0, slurm({ timeLimit: '00:10:00' }), 2));
      rows.push(compare('sweep slurm per-item overhead (10 items, packed, concurrency 2)', one(packed / 10), one(1000), '<= 1',
        { note: 'floor = the 1 s/item budget; submit→result incl. worker starts; default itemsPerTask = 5' }));
      const single = await withTracker(ctx, 'slurm-overhead', (t) => mapTime(t, 10, 0, slurm({ timeLimit: '00:10:00', itemsPerTask: 1 }), 10));
      rows.push(compare('sweep slurm packed vs 1 item per task (per-item overhead)', one(packed / 10), one(single / 10), '<= 1',
        { note: `what packing saves: floor = 10 one-item array tasks (${Math.round(single / 10)} ms/item: 10 worker starts at once on the node)` }));
    } else {
      ctx.log('sweep: no Slurm cluster answers (scripts/slurm-up.sh); slurm row skipped');
    }

    await withTracker(ctx, 'hits', async (t) => {
      await mapTime(t, n, 0, 'inline', 1);
      // Three passes in ABBA order (a few seconds each): one pass read 1.2–2.15× across full runs.
      const passes = await timePair(
        () => mapTime(t, n, 0, 'local', 2),
        async () => { for (let i = 0; i < n; i++) await t.run(BurnCpu, { config: { i, cpuMs: 0 } }); },
        { warmup: 0, reps: HIT_PASSES },
      );
      rows.push(compare(`sweep all-hits map (${n} items) vs ${n} cache hits`, passes.ours, passes.floor, '<= 2',
        { note: `floor = n sequential tracker.run hits; ${HIT_PASSES} passes each` }));
    });
    return rows;
  },
};
