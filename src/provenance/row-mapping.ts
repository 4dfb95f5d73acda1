import type { Artifact, Run, RunErrorInfo, RunKind, RunStatus } from '../model';
import { numberColumns as nums, textColumns as text, type InsertColumn } from './insert-columns';
import type { SqlRow } from './executor';

const parseJson = <T>(v: unknown, fallback: T): T => (typeof v === 'string' ? (JSON.parse(v) as T) : fallback);
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const iso = (v: unknown): string | null => (v instanceof Date ? v.toISOString() : str(v));

/** The columns of `run`, in insert order, with how they are staged and cast. @internal */
export const RUN_INSERT_COLUMNS: readonly InsertColumn[] = [
  ...text('id', 'kind', 'name', 'model', 'parent_run_id', 'status'), ...nums('year', 'iteration'),
  { name: 'tags', kind: 'text', cast: 'VARCHAR[]' }, ...text('signature', 'code_hash', 'config_hash', 'input_hash'),
  { name: 'cache_hit', kind: 'bool' }, ...text('reused_run_id', 'config', 'facet', 'meta', 'error'),
  { name: 'started_at', kind: 'text', cast: 'TIMESTAMP' }, { name: 'ended_at', kind: 'text', cast: 'TIMESTAMP' }, ...nums('duration_ms'),
];

/** Bound values for one run row. @internal */
export function runToParams(run: Run): unknown[] {
  return [
    run.id, run.kind, run.name, run.model, run.parentRunId, run.status, run.year, run.iteration,
    JSON.stringify(run.tags), run.signature, run.codeHash, run.configHash, run.inputHash, run.cacheHit,
    run.reusedRunId, JSON.stringify(run.config ?? null), run.facet === null ? null : JSON.stringify(run.facet),
    JSON.stringify(run.meta), run.error === null ? null : JSON.stringify(run.error), run.startedAt,
    run.endedAt, run.durationMs,
  ];
}

/** A `run` row back to a {@link Run}. @internal */
export function rowToRun(row: SqlRow): Run {
  return {
    id: String(row.id),
    kind: String(row.kind) as RunKind,
    name: String(row.name),
    model: str(row.model),
    parentRunId: str(row.parent_run_id),
    status: String(row.status) as RunStatus,
    year: num(row.year),
    iteration: num(row.iteration),
    tags: Array.isArray(row.tags) ? row.tags.map(String) : [],
    facet: parseJson<Record<string, unknown> | null>(row.facet, null),
    config: parseJson<unknown>(row.config, null),
    signature: str(row.signature),
    codeHash: str(row.code_hash),
    configHash: str(row.config_hash),
    inputHash: str(row.input_hash),
    cacheHit: Boolean(row.cache_hit),
    reusedRunId: str(row.reused_run_id),
    meta: parseJson<Record<string, unknown>>(row.meta, {}),
    error: parseJson<RunErrorInfo | null>(row.error, null),
    startedAt: iso(row.started_at) ?? '',
    endedAt: iso(row.ended_at),
    durationMs: num(row.duration_ms),
  };
}

/** The columns of `artifact`, in insert order, with how they are staged and cast. @internal */
export const ARTIFACT_INSERT_COLUMNS: readonly InsertColumn[] = [
  ...text('id', 'key', 'uri', 'driver', 'hash'), ...nums('size'), ...text('run_id', 'schema_id', 'meta'),
  { name: 'created_at', kind: 'text', cast: 'TIMESTAMP' },
];

/** Bound values for one artifact row. @internal */
export function artifactToParams(a: Omit<Artifact, 'path'>): unknown[] {
  return [a.id, a.key, a.uri, a.driver, a.hash, a.size, a.runId, a.schemaId, JSON.stringify(a.meta), a.createdAt];
}

/** An `artifact` row back to an artifact record (without the machine-local path). @internal */
export function rowToArtifact(row: SqlRow): Omit<Artifact, 'path'> {
  return {
    id: String(row.id),
    key: String(row.key),
    uri: String(row.uri),
    driver: String(row.driver),
    hash: str(row.hash),
    size: num(row.size),
    runId: str(row.run_id),
    schemaId: str(row.schema_id),
    meta: parseJson<Record<string, unknown>>(row.meta, {}),
    createdAt: iso(row.created_at) ?? '',
  };
}
