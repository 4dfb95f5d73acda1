/**
 * Provenance queries in one script: a two-step chain (households CSV → persons → summary) over two
 * years, run twice so that the second pass is all cache hits, then `findRuns`, `findRun`,
 * `getArtifactsForRun`, `lineage` and `tracker.sql` over what was recorded.
 * Run with `npx ts-node examples/queries.ts [runDir]` (use an empty folder: the counts assume one invocation).
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Table } from 'apache-arrow';
import { Input, Step, StepBase, Tracker, type LineageNode, type RunResult } from '../src';

/** Expands each household into persons; the year (hashed) scales their income. */
@Step({ outputs: ['persons'], codeVersion: '1' })
export class Synthesize extends StepBase {
  async run(@Input('households') households: Table): Promise<{ persons: Record<string, unknown>[] }> {
    const growth = 1 + ((this.ctx.year ?? 2020) - 2020) / 100;
    const persons = households.toArray().flatMap((h) => {
      const { id, size, income } = h.toJSON() as { id: number; size: number; income: number };
      return Array.from({ length: Number(size) }, (_, i) => ({
        person_id: Number(id) * 10 + i, household_id: Number(id), income: Math.round((Number(income) / Number(size)) * growth),
      }));
    });
    return { persons };
  }
}

/** Counts persons and their mean income. */
@Step({ outputs: ['summary'], codeVersion: '1' })
export class Summarize extends StepBase {
  async run(@Input('persons') persons: Table): Promise<{ summary: Record<string, unknown>[] }> {
    const incomes = persons.toArray().map((p) => Number((p.toJSON() as { income: number }).income));
    const mean = incomes.reduce((a, b) => a + b, 0) / Math.max(1, incomes.length);
    return { summary: [{ persons: incomes.length, mean_income: Math.round(mean) }] };
  }
}

/** What {@link main} found, for the test. */
export interface QueryFacts {
  executed: number;
  hits: number;
  /** Newest `limit: 3` runs of the model. */
  newest: number;
  /** Keys of `findRuns({ name: 'Summarize', indexBy: 'year' })`. */
  summaryYears: (number | null)[];
  /** The one executed Summarize run of 2030 (`findRun`). */
  summarize2030: string;
  /** Input and output keys of that run (`getArtifactsForRun`). */
  artifactKeys: { inputs: string[]; outputs: string[] };
  /** The run that produced the final summary (the last call was a hit, so this is the run it reused). */
  finalProducerRunId: string | null;
  /** The final hit's `reusedRunId`. */
  finalReusedRunId: string | null;
  /** Producing runs between the final summary and the raw CSV. */
  lineageDepth: number;
  /** Run names along the lineage, newest first. */
  lineageRuns: string[];
  /** `count(*)` of cache hits, from `tracker.sql`. */
  sqlHits: number;
}

/** Producer levels above `node` (0 for a raw input). */
export function lineageDepth(node: LineageNode): number {
  if (!node.producer) return 0;
  return 1 + Math.max(0, ...node.producer.inputs.map(lineageDepth));
}

/** Runs the chain twice in `runDir`, then queries what was recorded. */
export async function main(runDir: string, log: (line: string) => void = console.log): Promise<QueryFacts> {
  const households = path.join(runDir, 'data', 'households.csv');
  mkdirSync(path.dirname(households), { recursive: true });
  writeFileSync(households, 'id,size,income\n1,2,60000\n2,3,90000\n3,1,40000\n');
  const tracker = await Tracker.open({ runDir, codeIdentity: 'class-source' });
  try {
    const summaries: RunResult[] = [];
    for (const pass of [1, 2]) {
      for (const year of [2020, 2030]) {
        const meta = { model: 'demo', year, facet: { pass } };
        const persons = await tracker.run(Synthesize, { ...meta, inputs: { households } });
        summaries.push(await tracker.run(Summarize, { ...meta, inputs: { persons: persons.outputs.persons } }));
      }
    }

    // findRuns: every filter must match; newest first (started_at DESC, id DESC).
    const executed = await tracker.findRuns({ model: 'demo', cacheHit: false });
    const hits = await tracker.findRuns({ model: 'demo', cacheHit: true });
    const newest = await tracker.findRuns({ model: 'demo', limit: 3 });
    log(`runs: ${executed.length} executed, ${hits.length} cache hits; newest ${newest.length}: ${newest.map((r) => r.name).join(', ')}`);
    const byYear = await tracker.findRuns({ name: 'Summarize', indexBy: 'year' });
    log(`Summarize by year: ${[...byYear].map(([year, run]) => `${year} → ${run.cacheHit ? 'hit' : 'executed'}`).join(', ')}`);
    const secondPass = await tracker.findRuns({ model: 'demo', facet: { pass: 2 } });
    log(`facet pass=2: ${secondPass.length} runs, ${secondPass.filter((r) => r.cacheHit).length} of them hits`);

    // findRun: exactly one match, else RUN_NOT_FOUND / RUN_AMBIGUOUS.
    const summarize2030 = await tracker.findRun({ name: 'Summarize', year: 2030, cacheHit: false });
    const arts = await tracker.getArtifactsForRun(summarize2030.id);
    const artifactKeys = { inputs: Object.keys(arts.inputs).sort(), outputs: Object.keys(arts.outputs).sort() };
    log(`findRun → ${summarize2030.id}: inputs [${artifactKeys.inputs}], outputs [${artifactKeys.outputs}]`);
    const table = await tracker.load(arts.outputs.summary);
    const row = table.toArray()[0]?.toJSON() as { persons: bigint; mean_income: bigint }; // integers load as BIGINT
    log(`its summary (tracker.load): persons=${row.persons}, mean_income=${row.mean_income}`);

    // lineage: the final output → the run that produced it → its inputs → their producers …
    const final = summaries[summaries.length - 1];
    const summary = final.outputs.summary;
    const tree = await tracker.lineage(summary, { maxDepth: 5 });
    const lineageRuns: string[] = [];
    for (let node: LineageNode | undefined = tree; node?.producer; node = node.producer.inputs[0]) lineageRuns.push(node.producer.run.name);
    log(`lineage of the final summary (a cache hit's output): ${lineageRuns.join(' ← ')} ← ${path.basename(households)} (depth ${lineageDepth(tree)})`);

    const [{ n }] = await tracker.sql<{ n: number }>('SELECT count(*) AS n FROM run WHERE model = ? AND cache_hit', ['demo']);
    log(`sql: ${n} cache-hit runs`);

    return {
      executed: executed.length, hits: hits.length, newest: newest.length,
      summaryYears: [...byYear.keys()].sort((a, b) => (a ?? 0) - (b ?? 0)),
      summarize2030: summarize2030.id, artifactKeys,
      finalProducerRunId: summary.runId, finalReusedRunId: final.run.reusedRunId,
      lineageDepth: lineageDepth(tree), lineageRuns, sqlHits: Number(n),
    };
  } finally {
    await tracker.close();
  }
}

if (require.main === module) {
  main(process.argv[2] ?? path.resolve('queries-example-runs')).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
