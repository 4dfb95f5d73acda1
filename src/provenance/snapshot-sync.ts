import { createHash } from 'node:crypto';
import type { Artifact, RunSnapshot } from '../model';
import type { SqlExecutor } from './executor';
import { flattenFacet, type FacetKv } from './facet-flatten';
import { insertRows } from './bulk-insert';
import { numberColumns, textColumns, type InsertColumn, type InsertTarget } from './insert-columns';
import { ARTIFACT_INSERT_COLUMNS, RUN_INSERT_COLUMNS, artifactToParams, runToParams } from './row-mapping';

const KV_VALUES = (r: FacetKv) => [r.key, r.valueType, r.valueStr, r.valueNum, r.valueBool, r.valueJson];
const KV_COLUMNS: InsertColumn[] = [
  ...textColumns('namespace', 'key', 'value_type', 'value_str'), ...numberColumns('value_num'),
  { name: 'value_bool', kind: 'bool' }, ...textColumns('value_json'),
];
/** Where each kind of row goes. */
const TARGETS = {
  run: { verb: 'INSERT', table: 'run', columns: RUN_INSERT_COLUMNS },
  // Owned artifacts of a re-synced run are deleted first: DELETE + INSERT costs far less than OR REPLACE in DuckDB.
  ownedArtifact: { verb: 'INSERT', table: 'artifact', columns: ARTIFACT_INSERT_COLUMNS },
  foreignArtifact: { verb: 'INSERT OR IGNORE', table: 'artifact', columns: ARTIFACT_INSERT_COLUMNS },
  // The batch's links were deleted first and are deduplicated in collectRows: no conflict is possible.
  link: { verb: 'INSERT', table: 'run_artifact_link', columns: textColumns('run_id', 'artifact_id', 'key', 'direction') },
  artifactKv: { verb: 'INSERT', table: 'artifact_kv', columns: [...textColumns('artifact_id'), ...KV_COLUMNS] },
  facet: { verb: 'INSERT OR IGNORE', table: 'config_facet', columns: [...textColumns('id', 'namespace', 'facet'), ...numberColumns('key_count')] },
  runKv: { verb: 'INSERT', table: 'run_config_kv', columns: [...textColumns('run_id'), ...KV_COLUMNS] },
} satisfies Record<string, InsertTarget>;
/** Ids per `DELETE … IN (…)` statement. */
const MAX_IDS = 4_000;

/** The rows a set of snapshots implies, deduplicated the way sequential per-snapshot syncs would leave them. */
interface Rows {
  runIds: string[];
  runs: unknown[][];
  /** Artifacts whose facet rows are (re)written: those produced in the batch, and raw files with a facet. */
  artifactIds: string[];
  /** Artifacts the batch's runs produced (their rows are rewritten). */
  ownedIds: string[];
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
  /** From how many values on a table's rows are staged through an appender (tests force either path). Default 600 (bulk-insert.ts). */
  stageMinValues?: number;
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
  await insertRows(tx, TARGETS.run, r.runs, hints.stageMinValues);
  if (!hints.fresh) await deleteWhereIn(tx, 'artifact', 'id', r.ownedIds); // a fresh run's outputs are new ids
  await insertRows(tx, TARGETS.ownedArtifact, r.artifacts, hints.stageMinValues);
  await insertRows(tx, TARGETS.foreignArtifact, await withoutStored(tx, r.foreignArtifacts), hints.stageMinValues);
  await insertRows(tx, TARGETS.link, r.links, hints.stageMinValues);
  await deleteWhereIn(tx, 'artifact_kv', 'artifact_id', r.artifactIds);
  await insertRows(tx, TARGETS.artifactKv, r.artifactKv, hints.stageMinValues);
  await insertRows(tx, TARGETS.facet, r.facets, hints.stageMinValues);
  await insertRows(tx, TARGETS.runKv, r.runKv, hints.stageMinValues);
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
    artifactIds: withKv.map((a) => a.id), ownedIds: owned.map((a) => a.id), artifacts: owned.map(artifactToParams), foreignArtifacts: foreign.map(artifactToParams),
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

/**
 * Referenced artifacts minus those already rows of the DB (a cache hit links the records its
 * matched run linked). One indexed lookup is far cheaper than letting `INSERT OR IGNORE` find
 * the conflicts (≈ 15 ms for 20 existing rows on this machine).
 */
async function withoutStored(tx: SqlExecutor, rows: unknown[][]): Promise<unknown[][]> {
  const found = new Set<string>();
  for (const [list, ids] of inLists(rows.map((row) => row[0] as string))) {
    for (const { id } of await tx.all<{ id: string }>(`SELECT id FROM artifact WHERE id IN (${list})`, ids)) found.add(id);
  }
  return found.size ? rows.filter((row) => !found.has(row[0] as string)) : rows;
}

async function deleteWhereIn(tx: SqlExecutor, table: string, column: string, ids: readonly string[]): Promise<void> {
  for (const [list, chunk] of inLists(ids)) await tx.run(`DELETE FROM ${table} WHERE ${column} IN (${list})`, chunk);
}

/** `ids` in chunks of at most {@link MAX_IDS}, each with its `?, ?, …` placeholder list. */
function* inLists(ids: readonly string[]): Generator<[string, string[]]> {
  for (let i = 0; i < ids.length; i += MAX_IDS) {
    const chunk = ids.slice(i, i + MAX_IDS);
    yield [chunk.map(() => '?').join(', '), chunk];
  }
}
