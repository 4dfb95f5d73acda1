import { createHash } from 'node:crypto';
import type { Artifact, RunSnapshot } from '../model';
import type { SqlExecutor } from './executor';
import { flattenFacet, type FacetKv } from './facet-flatten';
import { ARTIFACT_COLUMNS, ARTIFACT_PLACEHOLDERS, RUN_COLUMNS, RUN_PLACEHOLDERS, artifactToParams, runToParams } from './row-mapping';

const KV_VALUES = (r: FacetKv) => [r.key, r.valueType, r.valueStr, r.valueNum, r.valueBool, r.valueJson];
const KV_PLACEHOLDERS = '?, ?, ?, ?, ?, ?, ?, ?';
/** Bound parameters per statement; a batch of many snapshots is split into statements of this size. */
const MAX_PARAMS = 4_000;

/** The rows a set of snapshots implies, deduplicated the way sequential per-snapshot syncs would leave them. */
interface Rows {
  runIds: string[];
  runs: unknown[][];
  /** Artifacts whose facet rows are (re)written: those produced in the batch, and raw files with a facet. */
  artifactIds: string[];
  artifacts: unknown[][];
  /** Artifacts the batch only references (inputs, reused cached outputs): inserted if absent, never rewritten. */
  foreignArtifacts: unknown[][];
  links: unknown[][];
  artifactKv: unknown[][];
  facets: unknown[][];
  runKv: unknown[][];
}

/**
 * Writes every DB row a snapshot implies — run, artifacts, links, run facets — replacing what
 * was there for that run. Idempotent, so re-syncing or rebuilding from snapshots is always safe.
 * Call inside a transaction.
 */
export function syncSnapshot(tx: SqlExecutor, snap: RunSnapshot, hints: SyncHints = {}): Promise<void> {
  return syncSnapshots(tx, [snap], hints);
}

/**
 * What the caller knows that saves statements on the hot path. Wrong hints never lose data: a
 * "fresh" run that has rows fails its INSERT (the snapshot stays pending and is re-synced), and
 * artifacts skipped as "stored" are already rows in this DB.
 */
export interface SyncHints {
  /** The runs have never been written to the DB: skip deleting their old rows. */
  fresh?: boolean;
  /** Artifact ids known to be rows of this DB already (read from it during this run): not re-inserted. */
  storedArtifactIds?: ReadonlySet<string>;
}

/**
 * {@link syncSnapshot} for many snapshots with a few multi-row statements per table instead of
 * ~10 statements per snapshot (the group commit of `shared` lock mode). The result equals syncing
 * them one by one in order: a later snapshot's artifact row and facet win. Call inside a transaction.
 */
export async function syncSnapshots(tx: SqlExecutor, snaps: readonly RunSnapshot[], hints: SyncHints = {}): Promise<void> {
  if (!snaps.length) return;
  const r = collectRows(snaps, hints.storedArtifactIds);
  for (const table of hints.fresh ? [] : ['run_artifact_link', 'run_config_kv', 'run']) {
    await deleteWhereIn(tx, table, table === 'run' ? 'id' : 'run_id', r.runIds);
  }
  await insertRows(tx, `INSERT INTO run (${RUN_COLUMNS.join(', ')}) VALUES`, RUN_PLACEHOLDERS, r.runs);
  await insertRows(tx, `INSERT OR REPLACE INTO artifact (${ARTIFACT_COLUMNS.join(', ')}) VALUES`, ARTIFACT_PLACEHOLDERS, r.artifacts);
  await insertRows(tx, `INSERT OR IGNORE INTO artifact (${ARTIFACT_COLUMNS.join(', ')}) VALUES`, ARTIFACT_PLACEHOLDERS, r.foreignArtifacts);
  // The batch's links were deleted above and are deduplicated in collectRows: no conflict is possible.
  await insertRows(tx, 'INSERT INTO run_artifact_link VALUES', '?, ?, ?, ?', r.links);
  await deleteWhereIn(tx, 'artifact_kv', 'artifact_id', r.artifactIds);
  await insertRows(tx, 'INSERT INTO artifact_kv VALUES', KV_PLACEHOLDERS, r.artifactKv);
  await insertRows(tx, 'INSERT OR IGNORE INTO config_facet VALUES', '?, ?, ?, ?', r.facets);
  await insertRows(tx, 'INSERT INTO run_config_kv VALUES', KV_PLACEHOLDERS, r.runKv);
}

function collectRows(snaps: readonly RunSnapshot[], stored: ReadonlySet<string> = new Set()): Rows {
  const runs = new Map<string, RunSnapshot>();
  for (const s of snaps) runs.set(s.run.id, s); // the same run twice: the later snapshot wins
  const artifacts = new Map<string, Omit<Artifact, 'path'>>();
  const links = new Map<string, unknown[]>();
  const facets = new Map<string, unknown[]>();
  const runKv: unknown[][] = [];
  const linkedBy = new Map<string, string | null>();
  for (const { run, artifacts: linked } of runs.values()) {
    for (const { artifact, key, direction } of linked) {
      linkedBy.set(artifact.id, run.model);
      artifacts.delete(artifact.id); // re-insert so the map order follows the last write
      artifacts.set(artifact.id, artifact);
      const link = `${run.id}\0${artifact.id}`;
      if (!links.has(link)) links.set(link, [run.id, artifact.id, key, direction]);
    }
    if (!run.facet) continue;
    const json = JSON.stringify(run.facet);
    const flat = flattenFacet(run.facet);
    const id = createHash('sha256').update(json).digest('hex');
    if (!facets.has(id)) facets.set(id, [id, null, json, flat.rows.length]);
    for (const kv of flat.rows) runKv.push([run.id, run.model ?? '', ...KV_VALUES(kv)]);
  }
  // A cache hit or a consumer links artifacts another run produced: rewriting those rows (and their
  // facets) on every hit is wasted work, and the producer's own snapshot is their source of truth.
  // Raw files (no producer) are immutable records too; only their facets, when given, are refreshed.
  const isOwned = (a: Omit<Artifact, 'path'>) => a.runId !== null && runs.has(a.runId);
  const owned = [...artifacts.values()].filter(isOwned);
  const foreign = [...artifacts.values()].filter((a) => !isOwned(a) && !stored.has(a.id));
  const withKv = [...owned, ...foreign.filter((a) => a.runId === null && a.meta.facet)];
  const modelOf = (a: Omit<Artifact, 'path'>) => facetNamespaceOf(a, runs, linkedBy);
  return {
    runIds: [...runs.keys()], runs: [...runs.values()].map((s) => runToParams(s.run)),
    artifactIds: withKv.map((a) => a.id), artifacts: owned.map(artifactToParams), foreignArtifacts: foreign.map(artifactToParams),
    links: [...links.values()], artifactKv: withKv.flatMap((a) => artifactKvRows(a, modelOf(a))),
    facets: [...facets.values()], runKv,
  };
}

/**
 * The namespace of an artifact's facet (API.md §11): `meta.facetNamespace` when given, else the
 * producing run's model, else (a raw file) the model of the run that logged it, else `''`.
 */
function facetNamespaceOf(a: Omit<Artifact, 'path'>, runs: ReadonlyMap<string, RunSnapshot>, linkedBy: ReadonlyMap<string, string | null>): string {
  if (typeof a.meta.facetNamespace === 'string') return a.meta.facetNamespace;
  const producer = a.runId === null ? undefined : runs.get(a.runId);
  return (producer ? producer.run.model : linkedBy.get(a.id)) ?? '';
}

/** Artifact facets live in `meta.facet`, under the namespace {@link facetNamespaceOf} picks. */
function artifactKvRows(artifact: Omit<Artifact, 'path'>, namespace: string): unknown[][] {
  const facet = artifact.meta.facet;
  if (!facet || typeof facet !== 'object' || Array.isArray(facet)) return [];
  return flattenFacet(facet as Record<string, unknown>).rows.map((kv) => [artifact.id, namespace, ...KV_VALUES(kv)]);
}

async function deleteWhereIn(tx: SqlExecutor, table: string, column: string, ids: readonly string[]): Promise<void> {
  for (const chunk of chunks(ids.map((id) => [id]), 1)) {
    await tx.run(`DELETE FROM ${table} WHERE ${column} IN (${chunk.map(() => '?').join(', ')})`, chunk.flat());
  }
}

/** `<head> (<placeholders>), (<placeholders>), …` in statements of at most {@link MAX_PARAMS} parameters. */
async function insertRows(tx: SqlExecutor, head: string, placeholders: string, rows: readonly unknown[][]): Promise<void> {
  if (!rows.length) return;
  for (const chunk of chunks(rows, rows[0].length)) {
    await tx.run(`${head} ${chunk.map(() => `(${placeholders})`).join(', ')}`, chunk.flat());
  }
}

function chunks<T>(rows: readonly T[], width: number): T[][] {
  const size = Math.max(1, Math.floor(MAX_PARAMS / Math.max(1, width)));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
