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
  artifactIds: string[];
  artifacts: unknown[][];
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
export function syncSnapshot(tx: SqlExecutor, snap: RunSnapshot): Promise<void> {
  return syncSnapshots(tx, [snap]);
}

/**
 * {@link syncSnapshot} for many snapshots with a few multi-row statements per table instead of
 * ~10 statements per snapshot (the group commit of `shared` lock mode). The result equals syncing
 * them one by one in order: a later snapshot's artifact row and facet win. Call inside a transaction.
 */
export async function syncSnapshots(tx: SqlExecutor, snaps: readonly RunSnapshot[]): Promise<void> {
  if (!snaps.length) return;
  const r = collectRows(snaps);
  for (const table of ['run_artifact_link', 'run_config_kv', 'run']) {
    await deleteWhereIn(tx, table, table === 'run' ? 'id' : 'run_id', r.runIds);
  }
  await insertRows(tx, `INSERT INTO run (${RUN_COLUMNS.join(', ')}) VALUES`, RUN_PLACEHOLDERS, r.runs);
  await insertRows(tx, `INSERT OR REPLACE INTO artifact (${ARTIFACT_COLUMNS.join(', ')}) VALUES`, ARTIFACT_PLACEHOLDERS, r.artifacts);
  await insertRows(tx, 'INSERT OR IGNORE INTO run_artifact_link VALUES', '?, ?, ?, ?', r.links);
  await deleteWhereIn(tx, 'artifact_kv', 'artifact_id', r.artifactIds);
  await insertRows(tx, 'INSERT INTO artifact_kv VALUES', KV_PLACEHOLDERS, r.artifactKv);
  await insertRows(tx, 'INSERT OR IGNORE INTO config_facet VALUES', '?, ?, ?, ?', r.facets);
  await insertRows(tx, 'INSERT INTO run_config_kv VALUES', KV_PLACEHOLDERS, r.runKv);
}

function collectRows(snaps: readonly RunSnapshot[]): Rows {
  const runs = new Map<string, RunSnapshot>();
  for (const s of snaps) runs.set(s.run.id, s); // the same run twice: the later snapshot wins
  const artifacts = new Map<string, Omit<Artifact, 'path'>>();
  const links = new Map<string, unknown[]>();
  const facets = new Map<string, unknown[]>();
  const runKv: unknown[][] = [];
  for (const { run, artifacts: linked } of runs.values()) {
    for (const { artifact, key, direction } of linked) {
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
    for (const kv of flat.rows) runKv.push([run.id, '', ...KV_VALUES(kv)]);
  }
  return {
    runIds: [...runs.keys()], runs: [...runs.values()].map((s) => runToParams(s.run)),
    artifactIds: [...artifacts.keys()], artifacts: [...artifacts.values()].map(artifactToParams),
    links: [...links.values()], artifactKv: [...artifacts.values()].flatMap(artifactKvRows),
    facets: [...facets.values()], runKv,
  };
}

/** Artifact facets live in `meta.facet`, optionally namespaced by `meta.facetNamespace`. */
function artifactKvRows(artifact: Omit<Artifact, 'path'>): unknown[][] {
  const { meta } = artifact;
  const facet = meta.facet;
  if (!facet || typeof facet !== 'object' || Array.isArray(facet)) return [];
  const namespace = typeof meta.facetNamespace === 'string' ? meta.facetNamespace : '';
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
