/**
 * `npm run demo`: runs the baseline and high-gas scenarios twice over 2020/2030/2040 (the second
 * pass is all cache hits), then re-runs the baseline with one network setting changed (only the
 * skims function step and the assignment command step re-execute), then queries every run's
 * outputs across scenarios in SQL.
 */
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { Tracker, type ScenarioResult } from 'consist-ts';
import { SCENARIOS, TravelCoupler, simulate, type NetworkConfig } from './model';

/** What one pass did: per scenario, the steps executed and hit, and the time taken. */
export interface PassReport { scenario: string; headerId: string; executed: number; hits: number; ms: number }

interface PassOptions { label: string; households: number; network: NetworkConfig; only?: string[] }

async function pass(tracker: Tracker, o: PassOptions, print: (s: string) => void): Promise<PassReport[]> {
  const reports: PassReport[] = [];
  const label = o.label;
  const workDir = path.join(tracker.runDir, 'work');
  mkdirSync(workDir, { recursive: true });
  for (const [name, config] of Object.entries(SCENARIOS).filter(([n]) => !o.only || o.only.includes(n))) {
    const t0 = performance.now();
    const result: ScenarioResult<TravelCoupler> = await tracker.scenario<TravelCoupler>(name,
      { model: 'travel_demand', coupler: TravelCoupler, config: { ...config, households: o.households, ...o.network } },
      (sc) => simulate(sc, config, o.network, workDir));
    const ms = Math.round(performance.now() - t0);
    const steps = result.steps.filter((s) => s.run.kind === 'step');
    const report = { scenario: result.run.name, headerId: result.run.id, executed: steps.filter((s) => !s.cacheHit).length, hits: steps.filter((s) => s.cacheHit).length, ms };
    reports.push(report);
    print(`  ${label}  ${report.scenario.padEnd(9)} run ${report.headerId.padEnd(11)} steps executed ${report.executed}, ` +
      `cache hits ${report.hits}; report trace re-ran  ${ms} ms`);
  }
  return reports;
}

/** Runs the demo in `runDir`; returns both passes and the SQL rows. */
export async function main(runDir: string, print: (s: string) => void = console.log, households = 4000) {
  const tracker = await Tracker.open({ runDir, codeIdentity: 'class-source' });
  try {
    print(`consist-ts demo — runs folder: ${runDir}`);
    print('Pass 1 (cold cache, except what an earlier demo run left):');
    const network = { congestion: 1 };
    const first = await pass(tracker, { label: 'pass 1', households, network }, print);
    print('Pass 2 (same code, config and inputs):');
    const second = await pass(tracker, { label: 'pass 2', households, network }, print);
    print('Pass 3 (baseline, one network setting changed: only skims and assignment re-execute):');
    const third = await pass(tracker, { label: 'pass 3', households, network: { congestion: 1.5 }, only: ['baseline'] }, print);
    print(`  the name 'baseline' now resolves to ${(await tracker.getRun('baseline'))?.id}; ` +
      `history: ${(await tracker.runHistory('baseline')).map((r) => r.id).join(', ')}`);
    print('Cross-run SQL: mean vehicle miles per person, by scenario and year (over every run\'s Parquet outputs):');
    const table = await crossRunQuery(tracker);
    for (const r of table) print(`  ${String(r.scenario).padEnd(9)} ${r.year}  persons ${r.persons}  mean VMT ${r.mean_vmt}`);
    return { first, second, third, rows: table };
  } finally {
    await tracker.close();
  }
}

/** One SQL query over every `persons` output of every scenario run, joined to its run metadata. */
async function crossRunQuery(tracker: Tracker): Promise<Record<string, unknown>[]> {
  const outputs = await tracker.sql<{ scenario: string; year: number; id: string }>(`
    SELECT DISTINCT h.name AS scenario, r.year, a.id
    FROM run r JOIN run h ON h.id = r.parent_run_id
    JOIN run_artifact_link l ON l.run_id = r.id AND l.direction = 'output' AND l.key = 'persons'
    JOIN artifact a ON a.id = l.artifact_id
    WHERE r.status = 'completed' AND h.kind = 'scenario'`);
  const files = await Promise.all(outputs.map(async (o) => ({ ...o, path: (await tracker.getArtifact(o.id)).path })));
  const union = files.map((f, i) => `SELECT ? AS scenario, ?::INTEGER AS year, vmt FROM read_parquet(?) /* ${i} */`).join(' UNION ALL ');
  return tracker.sql(`SELECT scenario, year, count(*) AS persons, round(avg(vmt), 2) AS mean_vmt FROM (${union})
    GROUP BY scenario, year ORDER BY scenario, year`, files.flatMap((f) => [f.scenario, f.year, f.path]));
}

if (require.main === module) {
  const runDir = path.resolve(process.argv[2] ?? 'demo-runs');
  main(runDir).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
