import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Tracker } from '../src/tracker/tracker';
import type { FunctionStepOptions } from '../src/runtime/run-step-options';
import { silentLogger } from '../src/util/logger';
import { timeHits } from './cache-hit';
import { freshDir, type Bench, type BenchContext } from './context';
import { compare } from './harness';
import { seedProvenance } from './seed';

/** A producer writing N outputs (N = `cacheHit.inputs`): the consumer's inputs are all outputs of an earlier run. */
function producer(n: number): FunctionStepOptions {
  const outputs = Array.from({ length: n }, (_, i) => `part_${i}`);
  return {
    name: 'bench_chain_producer', config: { n }, outputs, codeVersion: 'bench-1',
    fn: async (_in, sctx) => {
      const result: Record<string, string> = {};
      for (const key of outputs) {
        await fs.writeFile(path.join(sctx.runDir, `${key}.csv`), `id,value\n${key},1\n`);
        result[key] = `${key}.csv`;
      }
      return result;
    },
  };
}

function consumer(inputs: Record<string, string>, ctx: BenchContext): FunctionStepOptions {
  const config: Record<string, unknown> = {};
  for (let i = 0; i < ctx.sizes['cacheHit.configKeys']; i++) config[`param_${String(i).padStart(3, '0')}`] = i % 3 === 0 ? `v${i}` : i * 1.5;
  return {
    name: 'bench_chain_consumer', inputs, config, outputs: ['summary'], codeVersion: 'bench-1',
    fn: async (_in, sctx) => {
      await fs.writeFile(path.join(sctx.runDir, 'summary.csv'), 'k\n1\n');
      return { summary: 'summary.csv' };
    },
  };
}

/**
 * The cache hit of a chained step (every input produced by an earlier run: producer signatures
 * and input auto-links are looked up), against the same floor as `cache-hit`.
 */
export const cacheHitChainedBench: Bench = {
  name: 'cache-hit-chained',
  async run(ctx) {
    const runs = ctx.sizes['cacheHit.smallRuns'];
    const dir = await freshDir(ctx.workDir, 'chained');
    const runDir = path.join(dir, 'runs');
    const tracker = await Tracker.open({ runDir, hashing: 'fast', codeIdentity: 'class-source', logger: silentLogger });
    try {
      await seedProvenance(tracker, { runs, artifactsPerRun: 0 });
      const made = await tracker.run(producer(ctx.sizes['cacheHit.inputs']));
      const inputs = Object.fromEntries(Object.entries(made.outputs).map(([k, a]) => [k, a.path]));
      const step = consumer(inputs, ctx);
      if ((await tracker.run(step)).cacheHit) throw new Error('first consumer run should miss');
      const t = await timeHits(tracker, step, { ctx, dir, runs });
      return [compare(`cache-hit chained @${runs} runs (${ctx.sizes['cacheHit.inputs']} produced inputs)`, t.ours, t.floor, '<= 1.5',
        { note: `floor: indexed lookup + atomic write of ${t.snapshotBytes} B` })];
    } finally {
      await tracker.close();
    }
  },
};
