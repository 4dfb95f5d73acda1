import type { Command } from 'commander';
import { appendFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { readTaskTable, resultFileOf, startedMarker } from '../../executors/task-table';
import { SweepError } from '../../errors';
import { isStepClass } from '../../metadata/step-metadata';
import { readJobFile, writeJsonAtomic, type SweepJobFile, type SweepWorkerResult } from '../../sweeps/job-file';
import { workerTrackerOptions } from '../../sweeps/worker-tracker';
import type { Tracker } from '../../tracker/tracker';
import { terminalProgress } from '../progress-bar';

/** Imports the job's module and returns its step class; `STEP_NOT_IMPORTABLE` when it is not there. */
async function importStep(job: SweepJobFile): Promise<Function> {
  let exports: Record<string, unknown>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    exports = require(job.module) as Record<string, unknown>;
  } catch (err) {
    throw SweepError.stepNotImportable(job.exportName, `its module ${job.module} failed to load (${(err as Error).message.split('\n')[0]})`, { module: job.module });
  }
  const step = exports[job.exportName];
  if (!isStepClass(step)) throw SweepError.stepNotImportable(job.exportName, `${job.module} exports no @Step class '${job.exportName}'`, { module: job.module });
  return step;
}

/** Opens the job's tracker; progress (hashing, ingest, Parquet writes) as a bar on a TTY, or lines with `log`. */
function openTracker(job: SweepJobFile, log = false): Promise<Tracker> {
  require('reflect-metadata');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Tracker: T } = require('../../tracker/tracker') as typeof import('../../tracker/tracker');
  return T.open({ ...workerTrackerOptions(job.tracker), onProgress: terminalProgress({ log }) });
}

/** Runs one job on an open tracker and writes its `result.json`; returns the exit code (0 / 1). */
async function runJob(tracker: Tracker, job: SweepJobFile): Promise<number> {
  let result: SweepWorkerResult;
  try {
    const step = await importStep(job);
    const r = await tracker.run(step as never, job.item);
    result = { status: 'completed', runId: r.run.id, cacheHit: r.cacheHit };
  } catch (err) {
    const e = err as { code?: string; name?: string; message?: string };
    result = { status: 'failed', error: { code: e?.code, name: e?.name, message: e?.message ?? String(err) } };
    process.stderr.write(`${e?.code ?? e?.name ?? 'Error'}: ${e?.message ?? String(err)}\n`);
  }
  await writeJsonAtomic(job.resultPath, result);
  return result.status === 'completed' ? 0 : 1;
}

/**
 * Runs one sweep item: imports the step, opens the runs folder the worker way, runs the step,
 * writes `result.json` and exits 0 (1 when the step failed). A worker killed before the end
 * writes nothing, and its run stays `running` — never a cache hit.
 */
export async function runWorker(jobFile: string, log = false): Promise<number> {
  const job = await readJobFile(jobFile);
  const tracker = await openTracker(job, log);
  try {
    return await runJob(tracker, job);
  } finally {
    await tracker.close();
  }
}

/** While `fn` runs, this process's stdout/stderr also go to the item's log files. */
async function withItemLogs<T>(out: string, err: string, fn: () => Promise<T>): Promise<T> {
  const streams = [[process.stdout, out], [process.stderr, err]] as const;
  const originals = streams.map(([s]) => s.write.bind(s));
  for (const [, file] of streams) { try { appendFileSync(file, ''); } catch { /* best effort */ } } // present even when empty
  streams.forEach(([s, file], i) => {
    s.write = ((chunk: unknown, ...rest: unknown[]) => {
      try { appendFileSync(file, typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array)); } catch { /* best effort */ }
      return (originals[i] as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof s.write;
  });
  try {
    return await fn();
  } finally {
    streams.forEach(([s], i) => { s.write = originals[i] as typeof s.write; });
  }
}

/** A job message of the local executor's pool, and the reply. */
interface ServeMessage { jobFile: string; stdoutPath: string; stderrPath: string }

/**
 * `consist worker --serve`: a pooled worker of the local executor. Receives jobs over the IPC
 * channel (the next one may arrive while one runs), runs them one at a time in order, keeps the
 * tracker open between them, replies `{ exitCode }` per job, and exits when the channel closes.
 */
async function serve(): Promise<void> {
  let tracker: Tracker | undefined;
  const send = (m: unknown) => new Promise<void>((r) => process.send!(m, () => r()));
  let queue = Promise.resolve(); // jobs arrive ahead of time: run them one after the other, in order
  process.on('message', (m: ServeMessage) => {
    queue = queue.then(async () => {
      let exitCode = 1;
      await withItemLogs(m.stdoutPath, m.stderrPath, async () => {
        try {
          const job = await readJobFile(m.jobFile);
          tracker ??= await openTracker(job);
          exitCode = await runJob(tracker, job);
        } catch (err) {
          process.stderr.write(`${(err as { code?: string }).code ?? 'Error'}: ${(err as Error).message}\n`);
        }
      });
      await send({ exitCode });
    }).catch(() => undefined); // the channel closed under a reply: nothing to tell anyone
  });
  await new Promise<void>((r) => process.once('disconnect', () => r()));
  await queue;
  await tracker?.close();
}

/**
 * `consist worker --tasks <table> --task <n>`: works through task `n`'s chunk of items in order in
 * this one process (a packed Slurm array task), each with its own stdout/stderr log files, a
 * started marker before it runs and its `result.json` after. Exit code 1 when an item failed.
 */
async function runChunk(table: string, task: number): Promise<number> {
  const jobs = await readTaskTable(table, task);
  let tracker: Tracker | undefined;
  let exitCode = 0;
  let current = -1;
  const onTerm = () => { // scancel or a time limit: say so in the running item's stderr, then die of the signal
    process.stderr.write(`consist worker: SIGTERM while running sweep item ${current} (scancel or the job's time limit); its run stays unfinished\n`);
    process.kill(process.pid, 'SIGTERM');
  };
  process.once('SIGTERM', onTerm);
  try {
    for (const j of jobs) {
      current = j.index;
      await withItemLogs(j.stdoutPath, j.stderrPath, async () => {
        try {
          await writeFile(startedMarker(j.jobFile), `${process.pid}\n`);
          const job = await readJobFile(j.jobFile);
          tracker ??= await openTracker(job);
          if (await runJob(tracker, job)) exitCode = 1;
        } catch (err) { // the job file or the runs folder: this item fails, the chunk goes on
          const e = err as { code?: string; name?: string; message?: string };
          process.stderr.write(`${e?.code ?? e?.name ?? 'Error'}: ${e?.message ?? String(err)}\n`);
          await writeJsonAtomic(resultFileOf(j.jobFile), { status: 'failed', error: { code: e?.code, name: e?.name, message: e?.message ?? String(err) } });
          exitCode = 1;
        }
      });
    }
  } finally {
    process.removeListener('SIGTERM', onTerm);
    await tracker?.close();
  }
  return exitCode;
}

/** `consist worker <job.json>`: the entry point sweep jobs run (written by `tracker.map`). */
export function registerWorkerCommand(program: Command): void {
  program.command('worker [job]')
    .description('run one sweep item from a job file written by tracker.map (used by executors)')
    .option('--serve', 'pooled worker: take job files over the IPC channel until it closes')
    .option('--log', 'off a terminal, print one progress line per hashed file, ingested or written Parquet batch (stderr)')
    .option('--tasks <table>', 'packed task: run the items of --task <n> listed in this task table, in order')
    .option('--task <n>', 'the task number within --tasks (default: $SLURM_ARRAY_TASK_ID)')
    .action(async (job: string | undefined, flags: { serve?: boolean; log?: boolean; tasks?: string; task?: string }) => {
      if (flags.serve && process.send) return serve();
      if (flags.tasks) {
        const task = Number(flags.task ?? process.env.SLURM_ARRAY_TASK_ID);
        if (!Number.isInteger(task) || task < 0) throw SweepError.jobInvalid(flags.tasks, 'give the task number: --task <n>');
        process.exitCode = await runChunk(flags.tasks, task);
        return;
      }
      if (!job) throw SweepError.jobInvalid('(none)', 'give a job file: consist worker <job.json>');
      process.exitCode = await runWorker(job, flags.log);
    });
}
