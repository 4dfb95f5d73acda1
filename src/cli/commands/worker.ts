import type { Command } from 'commander';
import { SweepError } from '../../errors';
import { isStepClass } from '../../metadata/step-metadata';
import { readJobFile, writeJsonAtomic, type SweepJobFile, type SweepWorkerResult } from '../../sweeps/job-file';
import { workerTrackerOptions } from '../../sweeps/worker-tracker';

/** Imports the job's module and returns its step class; `STEP_NOT_IMPORTABLE` when it is not there. */
async function importStep(job: SweepJobFile): Promise<Function> {
  let exports: Record<string, unknown>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    exports = require(job.module) as Record<string, unknown>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ERR_REQUIRE_ESM') {
      throw SweepError.stepNotImportable(job.exportName, `its module ${job.module} failed to load (${(err as Error).message.split('\n')[0]})`, { module: job.module });
    }
    exports = (await import(job.module)) as Record<string, unknown>;
  }
  const step = exports[job.exportName];
  if (!isStepClass(step)) throw SweepError.stepNotImportable(job.exportName, `${job.module} exports no @Step class '${job.exportName}'`, { module: job.module });
  return step;
}

/**
 * Runs one sweep item: imports the step, opens the runs folder the worker way, runs the step,
 * writes `result.json` and exits 0 (1 when the step failed). A worker killed before the end
 * writes nothing, and its run stays `running` — never a cache hit.
 */
export async function runWorker(jobFile: string): Promise<number> {
  const job = await readJobFile(jobFile);
  const step = await importStep(job);
  require('reflect-metadata');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Tracker } = require('../../tracker/tracker') as typeof import('../../tracker/tracker');
  const tracker = await Tracker.open(workerTrackerOptions(job.tracker));
  let result: SweepWorkerResult;
  try {
    const r = await tracker.run(step as never, job.item);
    result = { status: 'completed', runId: r.run.id, cacheHit: r.cacheHit };
  } catch (err) {
    const e = err as { code?: string; name?: string; message?: string; details?: { runId?: string } };
    result = { status: 'failed', error: { code: e?.code, name: e?.name, message: e?.message ?? String(err) } };
    process.stderr.write(`${e?.code ?? e?.name ?? 'Error'}: ${e?.message ?? String(err)}\n`);
  } finally {
    await tracker.close();
  }
  await writeJsonAtomic(job.resultPath, result);
  return result.status === 'completed' ? 0 : 1;
}

/** `consist worker <job.json>`: the entry point sweep jobs run (written by `tracker.map`). */
export function registerWorkerCommand(program: Command): void {
  program.command('worker <job>')
    .description('run one sweep item from a job file written by tracker.map (used by executors)')
    .action(async (job: string) => {
      process.exitCode = await runWorker(job);
    });
}
