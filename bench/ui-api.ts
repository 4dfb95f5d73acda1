import * as path from 'node:path';
import { Tracker } from '../src/tracker/tracker';
import { lineageGraph } from '../src/queries/lineage-graph';
import { startUiServer } from '../src/ui/server';
import { silentLogger } from '../src/util/logger';
import { freshDir, reps, type Bench } from './context';
import { compare, timePair, type BenchResult } from './harness';
import { deepArtifactId, rawConnection, seedProvenance } from './seed';

const DEPTH = 5;

/**
 * `consist ui`'s JSON API at 10⁵ runs: the first page of `/api/runs` over HTTP (server, query
 * services, JSON) against the same two statements on a raw DuckDB connection; and the lineage
 * graph the page draws (depth 5) against `tracker.lineage` itself.
 */
export const uiApiBench: Bench = {
  name: 'ui-api',
  async run(ctx) {
    const runs = ctx.sizes['scale.largeRuns'];
    const dir = await freshDir(ctx.workDir, `ui-${runs}`);
    const tracker = await Tracker.open({ runDir: path.join(dir, 'runs'), codeIdentity: 'class-source', logger: silentLogger });
    const results: BenchResult[] = [];
    try {
      const t0 = Date.now();
      await seedProvenance(tracker, { runs, artifactsPerRun: ctx.sizes['scale.artifactsPerRun'] });
      ctx.log(`ui-api: seeded ${runs} runs in ${Date.now() - t0} ms`);
      const server = await startUiServer({ source: tracker, port: 0 });
      const raw = await rawConnection(tracker.dbPath);
      try {
        const ours = async () => {
          const res = await fetch(`${server.url}api/runs?limit=50`);
          const body = (await res.json()) as { runs: unknown[]; total: number };
          if (body.runs.length !== 50 || body.total !== runs) throw new Error(`/api/runs answered ${body.runs.length} of ${body.total}`);
        };
        const floor = async () => {
          const page = await (await raw.conn.runAndReadAll('SELECT * FROM run ORDER BY started_at DESC, id DESC LIMIT 50')).getRowObjectsJS();
          await (await raw.conn.runAndReadAll('SELECT count(*) AS n FROM run')).getRowObjectsJS();
          if (page.length !== 50) throw new Error('raw page short');
        };
        const p = await timePair(ours, floor, reps(ctx.sizes, ctx.sizes['scale.reps']));
        results.push(compare(`/api/runs first page @${runs} runs`, p.ours, p.floor, '<= 2', { note: 'floor: the same SELECT … LIMIT 50 + count(*) on a raw connection' }));
      } finally {
        await raw.release();
        await server.close();
      }
      const artifact = deepArtifactId(runs, DEPTH);
      const l = await timePair(
        () => lineageGraph(tracker, { artifact, depth: DEPTH }),
        () => tracker.lineage(artifact, { maxDepth: DEPTH }),
        reps(ctx.sizes, ctx.sizes['scale.reps']));
      results.push(compare(`lineage graph depth ${DEPTH} (page JSON) @${runs} runs`, l.ours, l.floor, '<= 1.2', { note: 'floor: tracker.lineage (the tree it flattens)' }));
    } finally {
      await tracker.close();
    }
    return results;
  },
};
