import type { Artifact, Run } from '../model';
import type { CacheMissExplanation } from '../cache/miss-explanation';
import { RunNotFoundError } from '../errors';
import { diffConfigPaths, type JsonValue } from '../identity';
import type { QuerySource } from './query-source';

/** One artifact as a run used it. */
export interface RunArtifactEntry { key: string; artifact: Artifact }

/** A short reference to another run (the reused run, a scenario step). */
export interface RunRef { id: string; name: string; status: string; cacheHit: boolean }

/** Everything the run page shows about one run. */
export interface RunDetail {
  run: Run;
  /** The hashes that make the signature, then what `meta.identity` recorded. */
  identity: Array<{ name: string; value: unknown }>;
  inputs: RunArtifactEntry[];
  outputs: RunArtifactEntry[];
  /** On a cache hit: the run whose outputs were reused (null when it is gone). */
  reusedFrom: RunRef | null;
  /** Why it missed the cache, when it recorded why. */
  missExplanation: CacheMissExplanation | null;
  /** The scenario's steps (runs whose parent is this run), oldest first. */
  children: RunRef[];
}

const ref = (r: Run): RunRef => ({ id: r.id, name: r.name, status: r.status, cacheHit: r.cacheHit });
const SIGNATURE_FIELDS = ['signature', 'codeHash', 'configHash', 'inputHash'];

/** The identity summary of a run: the signature, its three components, then the recorded identity extras. */
export function identityOf(run: Run): Array<{ name: string; value: unknown }> {
  const out: Array<{ name: string; value: unknown }> = [
    { name: 'signature', value: run.signature }, { name: 'code', value: run.codeHash },
    { name: 'config', value: run.configHash }, { name: 'inputs', value: run.inputHash },
  ];
  const identity = run.meta.identity;
  if (identity && typeof identity === 'object' && !Array.isArray(identity)) {
    for (const [name, value] of Object.entries(identity)) if (!SIGNATURE_FIELDS.includes(name)) out.push({ name, value });
  }
  return out;
}

const entries = (byKey: Record<string, Artifact>): RunArtifactEntry[] =>
  Object.keys(byKey).sort().map((key) => ({ key, artifact: byKey[key] }));

/** The run, or `RUN_NOT_FOUND`. */
export async function requireRun(source: QuerySource, runId: string): Promise<Run> {
  const run = await source.getRun(runId);
  if (!run) throw new RunNotFoundError(`id '${runId}'`);
  return run;
}

/** Everything about one run for the run page (`/api/runs/:id`); `RUN_NOT_FOUND` for an unknown id. */
export async function runDetail(source: QuerySource, runId: string): Promise<RunDetail> {
  const run = await requireRun(source, runId);
  const arts = await source.getArtifactsForRun(runId);
  const reused = run.reusedRunId ? await source.getRun(run.reusedRunId) : undefined;
  const children = await source.findRuns({ parentId: run.id });
  return {
    run,
    identity: identityOf(run),
    inputs: entries(arts.inputs),
    outputs: entries(arts.outputs),
    reusedFrom: reused ? ref(reused) : null,
    missExplanation: (run.meta.cacheMissExplanation as CacheMissExplanation | undefined) ?? null,
    children: children.reverse().map(ref),
  };
}

/** How two runs differ: fields, config keys, and artifacts by key. */
export interface RunDiff {
  a: Run;
  b: Run;
  /** Run fields whose values differ. */
  fields: Array<{ name: string; a: unknown; b: unknown }>;
  /** Config key paths that differ (added, removed or changed). */
  configKeysChanged: string[];
  /** Inputs and outputs whose artifact (hash) differs, or that only one run has. */
  artifacts: Array<{ direction: 'input' | 'output'; key: string; a: string | null; b: string | null }>;
}

const DIFF_FIELDS: ReadonlyArray<keyof Run> = ['name', 'kind', 'model', 'status', 'year', 'iteration', 'signature', 'codeHash',
  'configHash', 'inputHash', 'cacheHit', 'reusedRunId', 'parentRunId', 'durationMs'];

/** Two runs side by side (`/api/diff?a=&b=`); `RUN_NOT_FOUND` when either is unknown. */
export async function diffRuns(source: QuerySource, aId: string, bId: string): Promise<RunDiff> {
  const [a, b] = [await requireRun(source, aId), await requireRun(source, bId)];
  const fields = DIFF_FIELDS.filter((f) => JSON.stringify(a[f]) !== JSON.stringify(b[f])).map((name) => ({ name, a: a[name], b: b[name] }));
  const [aa, ba] = [await source.getArtifactsForRun(aId), await source.getArtifactsForRun(bId)];
  const artifacts: RunDiff['artifacts'] = [];
  for (const direction of ['input', 'output'] as const) {
    const x = direction === 'input' ? [aa.inputs, ba.inputs] : [aa.outputs, ba.outputs];
    for (const key of [...new Set([...Object.keys(x[0]), ...Object.keys(x[1])])].sort()) {
      const ha = x[0][key] ? x[0][key].hash ?? x[0][key].id : null;
      const hb = x[1][key] ? x[1][key].hash ?? x[1][key].id : null;
      if (ha !== hb) artifacts.push({ direction, key, a: ha, b: hb });
    }
  }
  const configKeysChanged = diffConfigPaths((a.config ?? null) as JsonValue, (b.config ?? null) as JsonValue);
  return { a, b, fields, configKeysChanged, artifacts };
}
