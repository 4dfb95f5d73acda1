import { createHash } from 'node:crypto';
import type { RunSnapshot } from '../model';
import type { SqlExecutor } from './executor';
import { flattenFacet, type FacetKv } from './facet-flatten';
import { ARTIFACT_COLUMNS, ARTIFACT_PLACEHOLDERS, RUN_COLUMNS, RUN_PLACEHOLDERS, artifactToParams, runToParams } from './row-mapping';

const KV_VALUES = (r: FacetKv) => [r.key, r.valueType, r.valueStr, r.valueNum, r.valueBool, r.valueJson];

/**
 * Writes every DB row a snapshot implies — run, artifacts, links, run facets — replacing what
 * was there for that run. Idempotent, so re-syncing or rebuilding from snapshots is always safe.
 * Call inside a transaction.
 */
export async function syncSnapshot(tx: SqlExecutor, snap: RunSnapshot): Promise<void> {
  const { run } = snap;
  await tx.run('DELETE FROM run_artifact_link WHERE run_id = ?', [run.id]);
  await tx.run('DELETE FROM run_config_kv WHERE run_id = ?', [run.id]);
  await tx.run('DELETE FROM run WHERE id = ?', [run.id]);
  await tx.run(`INSERT INTO run (${RUN_COLUMNS.join(', ')}) VALUES (${RUN_PLACEHOLDERS})`, runToParams(run));
  for (const { artifact, key, direction } of snap.artifacts) {
    await tx.run(`INSERT OR REPLACE INTO artifact (${ARTIFACT_COLUMNS.join(', ')}) VALUES (${ARTIFACT_PLACEHOLDERS})`,
      artifactToParams(artifact));
    await tx.run('INSERT OR IGNORE INTO run_artifact_link VALUES (?, ?, ?, ?)', [run.id, artifact.id, key, direction]);
    await syncArtifactFacet(tx, artifact.id, artifact.meta);
  }
  if (run.facet) await syncRunFacet(tx, run.id, run.facet);
}

async function syncRunFacet(tx: SqlExecutor, runId: string, facet: Record<string, unknown>): Promise<void> {
  const flat = flattenFacet(facet);
  const json = JSON.stringify(facet);
  const id = createHash('sha256').update(json).digest('hex');
  await tx.run('INSERT OR IGNORE INTO config_facet VALUES (?, ?, ?, ?)', [id, null, json, flat.rows.length]);
  for (const r of flat.rows) {
    await tx.run('INSERT INTO run_config_kv VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [runId, '', ...KV_VALUES(r)]);
  }
}

/** Artifact facets live in `meta.facet`, optionally namespaced by `meta.facetNamespace`. */
async function syncArtifactFacet(tx: SqlExecutor, artifactId: string, meta: Record<string, unknown>): Promise<void> {
  await tx.run('DELETE FROM artifact_kv WHERE artifact_id = ?', [artifactId]);
  const facet = meta.facet;
  if (!facet || typeof facet !== 'object' || Array.isArray(facet)) return;
  const namespace = typeof meta.facetNamespace === 'string' ? meta.facetNamespace : '';
  for (const r of flattenFacet(facet as Record<string, unknown>).rows) {
    await tx.run('INSERT INTO artifact_kv VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [artifactId, namespace, ...KV_VALUES(r)]);
  }
}
