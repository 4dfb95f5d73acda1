/**
 * A years × scenarios sweep with `tracker.map` (docs/sweeps.md): first on worker processes of this
 * machine (`local`), then — when SLURM_CONF is set — the same items on Slurm, where every item is a
 * hit resolved by the submitter (nothing is submitted). Run with
 * `npx ts-node examples/sweep/main.ts [runDir]` (or the compiled dist-examples copy).
 */
import 'reflect-metadata';
import { slurm, SweepItemError, Tracker, type ExecutorSpec } from '../../src';
import { SimulateYear } from './steps';

/** What the example did: how many items executed and how many were hits, per executor. */
export interface SweepExampleReport { executor: string; executed: number; hits: number; failed: number }

/** Runs the sweep in `runDir`; `executors` defaults to local (+ slurm when SLURM_CONF is set). */
export async function main(runDir: string, print: (line: string) => void = console.log,
  executors: ExecutorSpec[] = ['local', ...(process.env.SLURM_CONF ? [slurm({ timeLimit: '00:10:00' })] : [])]): Promise<SweepExampleReport[]> {
  const years = [2020, 2025, 2030];
  const scenarios = ['baseline', 'high_gas', 'transit_push'];
  const items = scenarios.flatMap((scenario) => years.map((year) => ({ year, config: { year, scenario }, tags: [scenario] })));
  // Until workers open the runs folder journal-only, the submitter shares the DB with them.
  const tracker = await Tracker.open({ runDir, codeIdentity: 'class-source', lockMode: 'shared' });
  const reports: SweepExampleReport[] = [];
  try {
    for (const executor of executors) {
      const kind = typeof executor === 'string' ? executor : executor.kind;
      const results = await tracker.map(SimulateYear, items, { executor, concurrency: 2 });
      const failed = results.filter((r): r is SweepItemError => r instanceof SweepItemError);
      for (const f of failed) print(`item ${f.index} failed: ${f.message.split('\n')[0]}`);
      const ok = results.filter((r) => !(r instanceof SweepItemError)) as Array<{ cacheHit: boolean }>;
      const report = { executor: kind, executed: ok.filter((r) => !r.cacheHit).length, hits: ok.filter((r) => r.cacheHit).length, failed: failed.length };
      print(`${kind}: ${report.executed} executed, ${report.hits} hits, ${report.failed} failed`);
      reports.push(report);
    }
    const rows = await tracker.sql<{ n: number }>("SELECT count(*)::INTEGER AS n FROM run WHERE name = 'SimulateYear' AND NOT cache_hit");
    print(`${rows[0].n} distinct SimulateYear runs recorded`);
  } finally {
    await tracker.close();
  }
  return reports;
}

if (require.main === module) void main(process.argv[2] ?? 'sweep-runs');
