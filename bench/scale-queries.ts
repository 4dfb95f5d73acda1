import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Tracker } from '../src/tracker/tracker';
import type { LineageNode } from '../src/recording/run-queries';
import { silentLogger } from '../src/util/logger';
import { freshDir, reps, type Bench, type BenchContext } from './context';
import { compare, timePair, type BenchResult } from './harness';
import { deepArtifactId, seedProvenance } from './seed';

const exec = promisify(execFile);
const DEPTH = 5;

interface Store { runs: number; runDir: string; tracker: Tracker }

async function openSeeded(ctx: BenchContext, runs: number): Promise<Store> {
  const dir = await freshDir(ctx.workDir, `runs-${runs}`);
  const runDir = path.join(dir, 'runs');
  const tracker = await Tracker.open({ runDir, codeIdentity: 'class-source', logger: silentLogger });
  const t0 = Date.now();
  const perRun = ctx.sizes['scale.artifactsPerRun'];
  await seedProvenance(tracker, { runs, artifactsPerRun: perRun });
  ctx.log(`scale: seeded ${runs} runs / ${runs * perRun} artifacts in ${Date.now() - t0} ms`);
  return { runs, runDir, tracker };
}

function lineageDepth(node: LineageNode): number {
  return node.producer ? 1 + Math.max(0, ...node.producer.inputs.map(lineageDepth)) : 0;
}

async function lineageOf(s: Store): Promise<void> {
  const tree = await s.tracker.lineage(deepArtifactId(s.runs, DEPTH), { maxDepth: DEPTH });
  if (lineageDepth(tree) !== DEPTH) throw new Error(`lineage depth ${lineageDepth(tree)}, expected ${DEPTH}`);
}

async function findRuns(s: Store): Promise<void> {
  const found = await s.tracker.findRuns({ model: 'model_3', status: 'completed', limit: 50 });
  if (found.length !== Math.min(50, Math.ceil(s.runs / 5))) throw new Error(`findRuns returned ${found.length} runs`);
}

async function cliRuns(ctx: BenchContext, s: Store): Promise<void> {
  const cli = path.join(ctx.packageRoot, 'dist', 'cli', 'main.js');
  const { stdout } = await exec(process.execPath, [cli, 'runs', '--limit', '50', '--run-dir', s.runDir], { maxBuffer: 1 << 24 });
  if (stdout.split('\n').length < 50) throw new Error('consist runs printed fewer than 50 runs');
}

/** findRuns, lineage and `consist runs` at a large DB against the same at a small one. */
export const scaleQueriesBench: Bench = {
  name: 'scale-queries',
  async run(ctx) {
    const s = ctx.sizes;
    const small = await openSeeded(ctx, s['scale.smallRuns']);
    const large = await openSeeded(ctx, s['scale.largeRuns']);
    const label = (what: string) => `${what} @${large.runs}/${small.runs} runs`;
    const note = `floor: the same at ${small.runs} runs / ${small.runs * s['scale.artifactsPerRun']} artifacts`;
    const opts = reps(s, s['scale.reps']);
    const results: BenchResult[] = [];
    try {
      const f = await timePair(() => findRuns(large), () => findRuns(small), opts);
      results.push(compare(label('findRuns'), f.ours, f.floor, '<= 2', { note }));
      const l = await timePair(() => lineageOf(large), () => lineageOf(small), opts);
      results.push(compare(label(`lineage depth ${DEPTH}`), l.ours, l.floor, '<= 2', { note }));
    } finally {
      await small.tracker.close();
      await large.tracker.close();
    }
    const c = await timePair(() => cliRuns(ctx, large), () => cliRuns(ctx, small), reps(s, Math.min(opts.reps, 10)));
    results.push(compare(label('consist runs --limit 50'), c.ours, c.floor, '<= 2', { note: `${note} (process start-up included)` }));
    return results;
  },
};
