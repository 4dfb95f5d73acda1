import * as os from 'node:os';
import * as path from 'node:path';
import { SweepItemError, type SweepItemFailureReason } from '../errors';
import type { ExecutorContext, JobOutcome, SweepExecutor, WorkerJob } from '../executors/executor';
import { CoalescedTask } from '../util/coalesced-task';
import { LocalExecutor } from '../executors/local-executor';
import type { RunResult } from '../runtime/run-step-options';
import type { Artifact } from '../model';
import { readJsonIfAny, tailLines, writeJsonAtomic, type SweepJobFile, type SweepWorkerResult, type WorkerTrackerSettings } from './job-file';
import type { MapItemResult, SweepPlan } from './map-service';
import { workerArgv, workerEnv } from './worker-command';

const REASONS: Record<JobOutcome['state'], SweepItemFailureReason> = {
  completed: 'failed', failed: 'failed', killed: 'killed', cancelled: 'cancelled', timeout: 'timeout', lost: 'lost',
};

function trackerSettings(plan: SweepPlan): WorkerTrackerSettings {
  const s = plan.deps.settings;
  return { runDir: s.runDir, dbPath: s.dbPath, codeIdentity: s.codeIdentity, projectRoot: s.projectRoot, cacheEpoch: s.cacheEpoch,
    hashing: s.hashing, mounts: { ...s.mounts }, parquetCompression: s.parquetCompression };
}

/** Node-local folders a Slurm job on another node would not see. */
function looksNodeLocal(dir: string): boolean {
  const roots = [os.tmpdir(), '/tmp', '/var/tmp', '/dev/shm'].map((r) => path.resolve(r) + path.sep);
  return roots.some((r) => (path.resolve(dir) + path.sep).startsWith(r));
}

/** `@Input` keys the item does not give, resolved here from the scenario's coupler (workers have none). */
function coupledInputs(plan: SweepPlan, given: Record<string, unknown>): Record<string, Artifact> {
  const out: Record<string, Artifact> = {};
  for (const p of plan.def.params) {
    if (p.kind !== 'input' || p.key in given) continue;
    const a = plan.scope.source?.get(p.key);
    if (a) out[p.key] = a;
  }
  return out;
}

/** Writes the job files of the items that execute (one per distinct signature). */
async function writeJobs(plan: SweepPlan, leaders: number[]): Promise<WorkerJob[]> {
  const tracker = trackerSettings(plan);
  const jobs: WorkerJob[] = [];
  for (const index of leaders) {
    const dir = plan.record.itemDir(index);
    const item = { ...plan.items[index], ...(plan.scope.parentRunId ? { parentRunId: plan.scope.parentRunId } : {}) };
    const fromCoupler = coupledInputs(plan, item.inputs ?? {});
    if (Object.keys(fromCoupler).length) item.inputs = { ...fromCoupler, ...(item.inputs ?? {}) };
    const job: SweepJobFile = { version: 1, sweepId: plan.record.info.id, index, module: plan.ref!.module, exportName: plan.ref!.exportName,
      tracker, item: item as Record<string, unknown>, resultPath: path.join(dir, 'result.json') };
    await writeJsonAtomic(path.join(dir, 'job.json'), job);
    jobs.push({ index, jobFile: path.join(dir, 'job.json'), stdoutPath: path.join(dir, 'stdout.log'), stderrPath: path.join(dir, 'stderr.log') });
  }
  return jobs;
}

/** Runs `index` in this process (a hit, or a duplicate whose twin just finished). */
async function runHere(plan: SweepPlan, index: number): Promise<MapItemResult> {
  try {
    const r = await plan.deps.runner.runScoped({ def: plan.def, code: plan.step, invoke: plan.deps.invoker(plan.def) }, plan.items[index], plan.scope);
    plan.record.set(index, { state: r.cacheHit ? 'hit' : 'done', runId: r.run.id });
    plan.progress.update({ done: 1, hits: r.cacheHit ? 1 : 0 });
    for (const [k, a] of Object.entries(r.outputs)) plan.scope.onOutput?.(k, a);
    return r;
  } catch (err) {
    const e = err as { code?: string; name?: string; message?: string };
    plan.record.set(index, { state: 'failed', reason: 'failed' });
    plan.progress.update({ failed: 1 });
    return new SweepItemError({ index, item: plan.items[index], reason: 'failed', jobId: null, exitCode: null, signal: null,
      stderrTail: [], stderrPath: null, error: { code: e?.code, name: e?.name, message: e?.message ?? String(err) } });
  }
}

/**
 * Reads a finished job's result and returns the item's slot, built from the worker's snapshot (the
 * journal is the record: no DB unit per item). Folding the run into the DB is scheduled here (see
 * {@link FOLD_IN_MS}) and done once more at the end of the map, so `findRuns` after `map` sees
 * every run.
 */
async function collect(plan: SweepPlan, job: WorkerJob, outcome: JobOutcome, foldIn: () => void): Promise<MapItemResult> {
  const { deps, record } = plan;
  const result = await readJsonIfAny<SweepWorkerResult>(path.join(path.dirname(job.jobFile), 'result.json'));
  if (result?.status === 'completed' && result.runId) {
    foldIn();
    const snap = await deps.snapshots.read(result.runId).catch(() => undefined);
    if (snap && snap.run.status === 'completed') {
      const outputs = deps.artifacts.outputsOf(snap);
      for (const [k, a] of Object.entries(outputs)) plan.scope.onOutput?.(k, a);
      record.set(job.index, { state: result.cacheHit ? 'hit' : 'done', runId: snap.run.id, jobId: outcome.jobId, exitCode: outcome.exitCode });
      plan.progress.update({ done: 1, hits: result.cacheHit ? 1 : 0 });
      return { run: snap.run, cacheHit: Boolean(result.cacheHit), outputs } satisfies RunResult;
    }
  }
  const reason = outcome.state === 'completed' ? 'lost' : REASONS[outcome.state];
  record.set(job.index, { state: 'failed', reason, jobId: outcome.jobId, exitCode: outcome.exitCode, runId: result?.runId ?? null,
    error: result?.error ? `${result.error.code ?? result.error.name ?? 'Error'}: ${result.error.message}`.slice(0, 500) : undefined });
  plan.progress.update({ failed: 1 });
  return new SweepItemError({ index: job.index, item: plan.items[job.index], reason, jobId: outcome.jobId, exitCode: outcome.exitCode,
    signal: outcome.signal, stderrTail: await tailLines(job.stderrPath), stderrPath: job.stderrPath, error: result?.error });
}

/**
 * How often, at most, the submitter folds finished workers' snapshots into the DB while a sweep
 * runs. Each fold-in is a DB unit; in `shared` lock mode it also opens and closes (checkpoints) the
 * file, synchronously on the submitter's thread, so folding per item starved the workers' queue.
 */
const FOLD_IN_MS = 1000;

/** Ctrl-C cancels the sweep (running jobs included), then the process gets its SIGINT back. */
function linkAbort(plan: SweepPlan, controller: AbortController): () => void {
  const onSigint = () => { sigint = true; controller.abort(); };
  const onAbort = () => controller.abort();
  let sigint = false;
  plan.options.signal?.addEventListener('abort', onAbort);
  if (plan.options.signal?.aborted) controller.abort();
  process.once('SIGINT', onSigint);
  return () => {
    plan.options.signal?.removeEventListener('abort', onAbort);
    process.removeListener('SIGINT', onSigint);
    if (sigint) process.kill(process.pid, 'SIGINT');
  };
}

/** The `local` / executor path of `map`: hits here, one job per distinct missing signature, twins after. */
export async function runRemote(plan: SweepPlan): Promise<void> {
  const executor: SweepExecutor = plan.options.executor === 'local' ? new LocalExecutor() : plan.options.executor as SweepExecutor;
  if (executor.remote && looksNodeLocal(plan.deps.settings.runDir)) {
    plan.deps.logger.warn(`Runs folder ${plan.deps.settings.runDir} looks node-local; ${executor.kind} jobs on other nodes will not see it. ` +
      'Put runs and inputs on a filesystem every node mounts.');
  }
  const leaders = new Map<string, number>();
  const twins = new Map<number, number[]>();
  for (let i = 0; i < plan.items.length; i++) {
    if (plan.hits[i]) continue;
    const lead = leaders.get(plan.signatures[i]);
    if (lead === undefined) leaders.set(plan.signatures[i], i);
    else { twins.set(lead, [...(twins.get(lead) ?? []), i]); plan.record.set(i, { state: 'duplicate', sameAs: lead }); }
  }
  for (let i = 0; i < plan.items.length; i++) if (plan.hits[i]) plan.results[i] = await runHere(plan, i);
  const jobs = await writeJobs(plan, [...leaders.values()]);
  for (const j of jobs) plan.record.set(j.index, { state: 'queued' });
  const byIndex = new Map(jobs.map((j) => [j.index, j]));
  const controller = new AbortController();
  const unlink = linkAbort(plan, controller);
  const handling: Promise<void>[] = [];
  const foldIn = new CoalescedTask(() => plan.deps.recorder.resyncPending());
  let foldTimer: NodeJS.Timeout | undefined;
  const scheduleFoldIn = () => {
    // a failed sync stays pending on disk; the next one or the final resync retries it
    foldTimer ??= setTimeout(() => { foldTimer = undefined; foldIn.run().catch(() => undefined); }, FOLD_IN_MS);
  };
  const ctx: ExecutorContext = {
    sweepDir: plan.record.dir, concurrency: plan.options.concurrency, signal: controller.signal, workerArgv: workerArgv(),
    env: workerEnv(plan.options.env), cwd: process.cwd(),
    onStarted: (index, jobId) => { plan.record.set(index, { state: 'running', jobId }); plan.progress.update({ running: 1 }); },
    onFinished: (outcome) => {
      if (plan.record.status.items[outcome.index].state === 'running') plan.progress.update({ running: -1 });
      handling.push((async () => {
        const slot = await collect(plan, byIndex.get(outcome.index)!, outcome, scheduleFoldIn);
        plan.results[outcome.index] = slot;
        if (slot instanceof SweepItemError && plan.options.failFast) controller.abort();
        for (const t of twins.get(outcome.index) ?? []) {
          plan.results[t] = slot instanceof SweepItemError ? new SweepItemError({ ...slot, index: t, item: plan.items[t] }) : await runHere(plan, t);
          if (slot instanceof SweepItemError) { plan.record.set(t, { state: 'failed', reason: slot.reason }); plan.progress.update({ failed: 1 }); }
        }
      })());
    },
  };
  try {
    await executor.run(jobs, ctx);
  } finally {
    await Promise.all(handling);
    clearTimeout(foldTimer);
    await foldIn.run().catch(() => undefined);
    unlink();
  }
}
