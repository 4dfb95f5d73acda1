import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Tracker } from '../src/index';
import { silentLogger } from '../src/util/logger';
import { freshDir, reps, type Bench } from './context';
import { compare, timePair } from './harness';
import { seedProvenance } from './seed';

const exec = promisify(execFile);

/**
 * A new process opening a tracker on a runs folder with a long history (10⁵ runs in its DB) and
 * closing it, against a new process opening the same DuckDB file with @duckdb/node-api: start-up
 * must not grow with history. Both are spawned `node` processes; the DB is seeded through SQL, so
 * the runs folder holds no per-run snapshot folders (an open never reads them: only pending markers).
 */
export const openStartupBench: Bench = {
  name: 'open-startup',
  async run(ctx) {
    const runs = ctx.sizes['openStartup.runs'];
    const runDir = path.join(await freshDir(ctx.workDir, 'history'), 'runs');
    const tracker = await Tracker.open({ runDir, codeIdentity: 'class-source', logger: silentLogger });
    const dbPath = tracker.dbPath;
    try {
      await seedProvenance(tracker, { runs, artifactsPerRun: 2 });
    } finally {
      await tracker.close();
    }
    const lib = path.join(ctx.packageRoot, 'dist', 'index.js');
    const api = require.resolve('@duckdb/node-api', { paths: [ctx.packageRoot] });
    const ours = `require('reflect-metadata');require(${JSON.stringify(lib)}).Tracker.open({ runDir: ${JSON.stringify(runDir)} })` +
      '.then((t) => t.close())';
    const floor = `require(${JSON.stringify(api)}).DuckDBInstance.create(${JSON.stringify(dbPath)})` +
      '.then(async (i) => { const c = await i.connect(); await c.run("SELECT 1"); c.closeSync(); i.closeSync(); })';
    const t = await timePair(
      () => exec(process.execPath, ['-e', ours]),
      () => exec(process.execPath, ['-e', floor]),
      reps(ctx.sizes, ctx.sizes['openStartup.reps']),
    );
    return [compare(`Tracker.open + close @${runs.toLocaleString('en-US')} runs (new process)`, t.ours, t.floor, '<= 2',
      { note: 'floor: node -e opening the same DuckDB file with @duckdb/node-api and running SELECT 1' })];
  },
};
