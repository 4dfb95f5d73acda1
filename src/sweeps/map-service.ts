import { compileStep, type StepDefinition } from '../metadata/compile-step';
import { isConsistError, SweepError, SweepItemError, type InvalidItem } from '../errors';
import type { RunQueries } from '../recording/run-queries';
import type { RunRecorder } from '../recording/run-recorder';
import type { SnapshotStore } from '../journal/snapshot-store';
import type { ArtifactStore } from '../artifacts/artifact-store';
import type { ResolvedTrackerOptions } from '../recording/tracker-options';
import type { DbLockMode } from '../provenance/database';
import type { RunResult, RunStepOptions } from '../runtime/run-step-options';
import type { StepRunner, StepScope } from '../runtime/step-runner';
import type { StepInvoker } from '../runtime/step-invoker';
import type { Logger } from '../util/logger';
import { resolveMapOptions, type MapOptions, type ResolvedMapOptions } from './map-options';
import { ProgressReporter } from './progress';
import { runRemote } from './remote-map';
import { resolveStepModule, type StepModuleRef } from './step-module';
import { newSweepId, SweepRecord } from './sweep-record';

/** One slot of a `map` result: the item's run, or why it has none. */
export type MapItemResult<R = RunResult> = R | SweepItemError;

/** What `map` needs from the tracker. @internal */
export interface MapDeps {
  runner: StepRunner;
  recorder: RunRecorder;
  /** Workers' snapshots: a finished item's result is read from its snapshot, not the DB. */
  snapshots: SnapshotStore;
  /** A snapshot's outputs with paths (`ArtifactStore.outputsOf`). */
  artifacts: Pick<ArtifactStore, 'outputsOf'>;
  queries: RunQueries;
  settings: ResolvedTrackerOptions;
  lockMode: DbLockMode;
  logger: Logger;
  invoker(def: StepDefinition): StepInvoker;
}

/** Everything one sweep works with. @internal */
export interface SweepPlan {
  deps: MapDeps;
  step: Function;
  def: StepDefinition;
  items: RunStepOptions[];
  options: ResolvedMapOptions;
  scope: StepScope;
  record: SweepRecord;
  progress: ProgressReporter;
  ref: StepModuleRef | null;
  signatures: string[];
  hits: boolean[];
  results: Array<MapItemResult | undefined>;
}

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An item a worker process can receive: JSON without functions or class instances other than plain data. */
function jsonProblem(item: unknown): string | undefined {
  let bad: string | undefined;
  JSON.stringify(item, (k, v: unknown) => {
    if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') bad ??= `'${k}' is a ${typeof v}`;
    return v;
  });
  return bad ? `${bad}; items sent to worker processes must be JSON` : undefined;
}

/** What {@link probeItems} checks: the step, its items, whether they go to worker processes, and the scope. */
interface ProbeRequest {
  def: StepDefinition;
  step: Function;
  items: unknown[];
  remote: boolean;
  scope: StepScope;
}

/** Validates every item (typed error listing the bad ones) and computes signatures and hits. */
async function probeItems(deps: MapDeps, { def, step, items, remote, scope }: ProbeRequest) {
  const invalid: InvalidItem[] = [];
  const signatures: string[] = [];
  const hits: boolean[] = [];
  for (let index = 0; index < items.length; index++) {
    const item = items[index];
    if (!isPlain(item)) { invalid.push({ index, code: 'INVALID_OPTION', message: 'an item must be an object of run options ({ config, inputs, year, … })' }); continue; }
    const problem = remote ? jsonProblem(item) : undefined;
    if (problem) { invalid.push({ index, code: 'INVALID_OPTION', message: problem }); continue; }
    try {
      const probe = await deps.runner.probe(def, step, item as RunStepOptions, scope);
      signatures[index] = probe.signature;
      hits[index] = probe.hit;
    } catch (err) {
      if (!isConsistError(err)) throw err;
      invalid.push({ index, code: err.code, message: err.message });
    }
  }
  if (invalid.length) throw SweepError.invalidItems(invalid);
  return { signatures, hits };
}

/** Runs items one by one in this process (`'inline'`), `concurrency` at a time. */
async function runInline(plan: SweepPlan): Promise<void> {
  const { deps, def, step, items, scope, record, progress } = plan;
  const invoke = deps.invoker(def);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < items.length; i = next++) {
      if (plan.options.signal?.aborted) break;
      record.set(i, { state: 'running' });
      progress.update({ running: 1 });
      try {
        const r = await deps.runner.runScoped({ def, code: step, invoke }, items[i], scope);
        plan.results[i] = r;
        record.set(i, { state: r.cacheHit ? 'hit' : 'done', runId: r.run.id });
        progress.update({ running: -1, done: 1, hits: r.cacheHit ? 1 : 0 });
      } catch (err) {
        const e = err as { code?: string; name?: string; message?: string };
        plan.results[i] = new SweepItemError({ index: i, item: items[i], reason: 'failed', jobId: null, exitCode: null, signal: null,
          stderrTail: [], stderrPath: null, error: { code: e?.code, name: e?.name, message: e?.message ?? String(err) } });
        record.set(i, { state: 'failed', reason: 'failed', error: `${e?.code ?? e?.name ?? 'Error'}: ${e?.message ?? String(err)}`.slice(0, 500) });
        progress.update({ running: -1, failed: 1 });
        if (plan.options.failFast) next = items.length;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(plan.options.concurrency, Math.max(1, items.length)) }, lane));
}

/** The options of one `map` call and the scope it runs in (a scenario's, or none). @internal */
export interface ScopedMapCall {
  options?: MapOptions;
  scope?: StepScope;
}

/**
 * `tracker.map` (API.md §13): validates all items first (nothing recorded or submitted when one
 * is bad), resolves hits in this process, runs each distinct missing item once on the executor,
 * folds the workers' runs into the DB, and returns one result or {@link SweepItemError} per item.
 * @internal
 */
export async function mapStepsScoped(deps: MapDeps, step: Function, items: unknown, call: ScopedMapCall = {}): Promise<MapItemResult[]> {
  const { options, scope = {} } = call;
  if (!Array.isArray(items)) throw SweepError.invalidOption('items', items, 'an array of run options');
  const resolved = resolveMapOptions(options, items.length);
  const def = compileStep(step);
  const remote = resolved.executor !== 'inline';
  const kind = typeof resolved.executor === 'string' ? resolved.executor : resolved.executor.kind;
  const ref = remote ? resolveStepModule(step, { module: resolved.module, exportName: resolved.exportName }) : null;
  const { signatures, hits } = await probeItems(deps, { def, step, items, remote, scope });
  const id = newSweepId();
  const record = await SweepRecord.create(deps.settings.runDir, {
    id, step: def.name, module: ref?.module ?? null, exportName: ref?.exportName ?? null, executor: kind,
    items: items.length, createdAt: new Date().toISOString(), pid: process.pid,
  });
  const plan: SweepPlan = {
    deps, step, def, items: items as RunStepOptions[], options: resolved, scope, record, ref, signatures, hits,
    progress: new ProgressReporter(id, items.length, resolved.onProgress), results: new Array(items.length).fill(undefined),
  };
  try {
    if (remote) await runRemote(plan);
    else await runInline(plan);
  } finally {
    for (let i = 0; i < items.length; i++) {
      if (plan.results[i] === undefined) {
        plan.results[i] = new SweepItemError({ index: i, item: items[i], reason: 'aborted', jobId: null, exitCode: null, signal: null, stderrTail: [], stderrPath: null });
        record.set(i, { state: 'failed', reason: 'aborted' });
      }
    }
    await record.flush(true);
  }
  return plan.results as MapItemResult[];
}

/**
 * {@link mapStepsScoped} outside a scenario (the Tracker facade: `tracker.map`). @internal
 */
export function mapSteps(deps: MapDeps, step: Function, items: unknown, options?: MapOptions): Promise<MapItemResult[]> {
  return mapStepsScoped(deps, step, items, { options });
}
