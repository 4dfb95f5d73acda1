import { createHash } from 'node:crypto';
import type { Artifact, Run } from '../model';
import { packageInfo, type PackageInfo } from '../util/package-info';

/** A run with its inputs and outputs, as the events describe it (artifacts need no local path). */
export interface RunWithArtifacts { run: Run; inputs: ArtifactInfo[]; outputs: ArtifactInfo[] }
/** An artifact without its machine-local path. */
export type ArtifactInfo = Omit<Artifact, 'path'>;

/** The OpenLineage spec version the events follow. */
export const OPENLINEAGE_SCHEMA = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';
/**
 * `producer` of every event and facet: a URI naming this software at this version, from
 * package.json (`<repository>/tree/v<version>`, or the npm page of the version without a repository).
 */
export const CONSIST_PRODUCER = producerUri(packageInfo());
/** Where the JSON Schemas of the `consist` facets live (docs/schemas, also in the npm package), at this version. */
const SCHEMA_BASE = schemaBase(packageInfo());
const CONSIST_RUN_FACET_SCHEMA = `${SCHEMA_BASE}/consist-run-facet.json#/$defs/ConsistRunFacet`;
const CONSIST_DATASET_FACET_SCHEMA = `${SCHEMA_BASE}/consist-dataset-facet.json#/$defs/ConsistDatasetFacet`;

/** The producer URI of a package: its repository at the version's tag, else its npm page at the version. */
export function producerUri(p: PackageInfo): string {
  return p.repositoryUrl ? `${p.repositoryUrl}/tree/v${p.version}` : `https://www.npmjs.com/package/${p.name}/v/${p.version}`;
}

/** The URL of the package's `docs/schemas` folder at its version (the repository's tag, else unpkg). */
export function schemaBase(p: PackageInfo): string {
  return p.repositoryUrl ? `${p.repositoryUrl}/blob/v${p.version}/docs/schemas` : `https://unpkg.com/${p.name}@${p.version}/docs/schemas`;
}
const PARENT_SCHEMA = 'https://openlineage.io/spec/facets/1-2-0/ParentRunFacet.json#/$defs/ParentRunFacet';
const ERROR_SCHEMA = 'https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet';

/** One OpenLineage run event (a JSON line of the export). */
export interface OpenLineageEvent {
  eventType: 'START' | 'COMPLETE' | 'FAIL';
  eventTime: string;
  producer: string;
  schemaURL: string;
  run: { runId: string; facets: Record<string, unknown> };
  job: { namespace: string; name: string };
  inputs: OpenLineageDataset[];
  outputs: OpenLineageDataset[];
}

/** A dataset keyed by its URI: the scheme (and authority) is the namespace, the rest the name. */
export interface OpenLineageDataset { namespace: string; name: string; facets: Record<string, unknown> }

/** A stable UUID (version-5 layout over SHA-256) for a run id, so START, COMPLETE and parent links agree. */
export function runUuid(namespace: string, runId: string): string {
  const h = createHash('sha256').update(`${namespace}\0${runId}`).digest('hex').slice(0, 32).split('');
  h[12] = '5';
  h[16] = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** `inputs://a/b.csv` → `{ inputs://, a/b.csv }`; `/abs/x.csv` → `{ file, /abs/x.csv }` (OpenLineage naming). */
export function datasetOf(a: ArtifactInfo): OpenLineageDataset {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(.*)$/.exec(a.uri);
  const [namespace, name] = m ? (m[1] === 'file' ? ['file', m[2]] : [`${m[1]}://`, m[2]]) : ['file', a.uri];
  return {
    namespace, name,
    facets: { consist: { _producer: CONSIST_PRODUCER, _schemaURL: CONSIST_DATASET_FACET_SCHEMA, uri: a.uri, artifactId: a.id, key: a.key, driver: a.driver, hash: a.hash, size: a.size } },
  };
}

function runFacets(run: Run, ctx: EventContext, final: boolean): Record<string, unknown> {
  const { namespace } = ctx;
  const facets: Record<string, unknown> = {
    consist: {
      _producer: CONSIST_PRODUCER, _schemaURL: CONSIST_RUN_FACET_SCHEMA, runId: run.id, kind: run.kind, model: run.model,
      year: run.year, iteration: run.iteration, signature: run.signature, cacheHit: run.cacheHit, reusedRunId: run.reusedRunId,
    },
  };
  if (run.parentRunId) {
    facets.parent = {
      _producer: CONSIST_PRODUCER, _schemaURL: PARENT_SCHEMA,
      run: { runId: runUuid(namespace, run.parentRunId) }, job: { namespace, name: ctx.jobNames?.get(run.parentRunId) ?? run.parentRunId },
    };
  }
  if (final && run.status === 'failed' && run.error) {
    facets.errorMessage = { _producer: CONSIST_PRODUCER, _schemaURL: ERROR_SCHEMA, message: `${run.error.code ?? run.error.name}: ${run.error.message}`, programmingLanguage: 'TypeScript' };
  }
  return facets;
}

/** Where events are made: the job namespace and the job names (run names) of runs seen so far, for parent facets. */
export interface EventContext { namespace: string; jobNames?: ReadonlyMap<string, string> }

/** The events of one run: START, then COMPLETE or FAIL once it ended (a `running` run has only START). */
export function runEvents(r: RunWithArtifacts, ctx: EventContext = { namespace: 'consist' }): OpenLineageEvent[] {
  const { run } = r;
  const { namespace } = ctx;
  const job = { namespace, name: run.name };
  const base = (eventType: OpenLineageEvent['eventType'], eventTime: string, final: boolean): OpenLineageEvent => ({
    eventType, eventTime, producer: CONSIST_PRODUCER, schemaURL: OPENLINEAGE_SCHEMA,
    run: { runId: runUuid(namespace, run.id), facets: runFacets(run, ctx, final) }, job,
    inputs: r.inputs.map(datasetOf), outputs: final ? r.outputs.map(datasetOf) : [],
  });
  const events = [base('START', run.startedAt, false)];
  if (run.status !== 'running') events.push(base(run.status === 'failed' ? 'FAIL' : 'COMPLETE', run.endedAt ?? run.startedAt, true));
  return events;
}

