import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { Tracker } from '../src/tracker/tracker';
import type { FunctionStepOptions } from '../src/runtime/run-step-options';
import { silentLogger } from '../src/util/logger';
import { freshDir, reps, type Bench, type BenchContext } from './context';
import { compare, timePair, type BenchResult, type Timing } from './harness';
import { rawConnection, seedProvenance } from './seed';
import { atomicWriteFloor } from './floors';

/** The step of the hot path: N small inputs, M outputs written on the (single) miss, K config keys. */
async function stepOptions(dir: string, ctx: BenchContext): Promise<FunctionStepOptions> {
  const s = ctx.sizes;
  const inputs: Record<string, string> = {};
  await fs.mkdir(path.join(dir, 'inputs'), { recursive: true });
  for (let i = 0; i < s['cacheHit.inputs']; i++) {
    const file = path.join(dir, 'inputs', `in_${i}.csv`);
    await fs.writeFile(file, `id,value\n${i},${i * 2}\n`);
    inputs[`in_${i}`] = file;
  }
  const config: Record<string, unknown> = {};
  for (let i = 0; i < s['cacheHit.configKeys']; i++) config[`param_${String(i).padStart(3, '0')}`] = i % 3 === 0 ? `v${i}` : i * 1.5;
  const outputs = Array.from({ length: s['cacheHit.outputs'] }, (_, i) => `out_${i}`);
  return {
    name: 'bench_hot_path', inputs, config, outputs, codeVersion: 'bench-1',
    fn: async (_in, sctx) => {
      const result: Record<string, string> = {};
      for (const key of outputs) {
        await fs.writeFile(path.join(sctx.runDir, `${key}.csv`), `k\n${key}\n`);
        result[key] = `${key}.csv`;
      }
      return result;
    },
  };
}

/** The floor: one indexed lookup on `run.signature` + one atomic write (temp, fsync, rename, dir fsync) of `bytes`. */
export function floorOf(conn: DuckDBConnection, signature: string, dir: string, bytes: number): () => Promise<void> {
  const write = atomicWriteFloor(dir, bytes);
  return async () => {
    const reader = await conn.runAndReadAll(`SELECT * FROM run WHERE signature = '${signature}'`);
    if (reader.getRowObjectsJS().length !== 1) throw new Error('floor lookup found no row');
    await write();
  };
}

/**
 * Times hits of `step` (which must already hit) against {@link floorOf} at a DB seeded with `runs`
 * runs, the floor's snapshot the size of the hit's own. Shared by the cache-hit benches.
 */
export async function timeHits(tracker: Tracker, step: FunctionStepOptions, at: { ctx: BenchContext; dir: string; runs: number }): Promise<{ ours: Timing; floor: Timing; snapshotBytes: number }> {
  const { ctx, dir, runs } = at;
  const hit = await tracker.run(step);
  if (!hit.cacheHit) throw new Error(`second run should hit (${JSON.stringify(hit.cacheMissReason)})`);
  const snapshotBytes = (await fs.stat(path.join(tracker.runDir, hit.run.id, 'consist.json'))).size;
  await tracker.drain();
  const raw = await rawConnection(tracker.dbPath);
  try {
    const floor = floorOf(raw.conn, `seed-${Math.floor(runs / 2)}`, path.join(dir, 'floor'), snapshotBytes);
    const ours = async () => {
      if (!(await tracker.run(step)).cacheHit) throw new Error('expected a cache hit');
    };
    const t = await timePair(ours, floor, { ...reps(ctx.sizes, ctx.sizes['cacheHit.reps']), warmup: ctx.sizes['cacheHit.warmup'] });
    return { ...t, snapshotBytes };
  } finally {
    await raw.release();
  }
}

interface SizeResult { runs: number; ours: Timing; floor: Timing; snapshotBytes: number }

async function measureAt(ctx: BenchContext, runs: number): Promise<SizeResult> {
  const dir = await freshDir(ctx.workDir, `runs-${runs}`);
  const runDir = path.join(dir, 'runs');
  const tracker = await Tracker.open({ runDir, hashing: 'fast', codeIdentity: 'class-source', logger: silentLogger });
  try {
    const t0 = Date.now();
    await seedProvenance(tracker, { runs, artifactsPerRun: runs >= 10_000 ? 10 : 0 });
    ctx.log(`cache-hit: seeded ${runs} runs in ${Date.now() - t0} ms`);
    const step = await stepOptions(dir, ctx);
    const miss = await tracker.run(step);
    if (miss.cacheHit) throw new Error('first run should miss');
    return { runs, ...(await timeHits(tracker, step, { ctx, dir, runs })) };
  } finally {
    await tracker.close();
  }
}

/** Cache-hit hot path at a small and a large database, against lookup + snapshot write. */
export const cacheHitBench: Bench = {
  name: 'cache-hit',
  async run(ctx) {
    const small = await measureAt(ctx, ctx.sizes['cacheHit.smallRuns']);
    const large = await measureAt(ctx, ctx.sizes['cacheHit.largeRuns']);
    const note = (r: SizeResult) => `floor: indexed lookup + atomic write of ${r.snapshotBytes} B`;
    const results: BenchResult[] = [
      compare(`cache-hit @${small.runs} runs`, small.ours, small.floor, '<= 1.5', { note: note(small) }),
      compare(`cache-hit @${large.runs} runs`, large.ours, large.floor, '<= 1.5', { note: note(large) }),
      compare(`cache-hit scaling ${large.runs}/${small.runs}`, large.ours, small.ours, '<= 1.5',
        { note: `ours @${large.runs} runs vs ours @${small.runs} runs` }),
    ];
    return results;
  },
};
