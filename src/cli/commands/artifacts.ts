import type { Command } from 'commander';
import type { Artifact } from '../../model';
import type { RunArtifacts } from '../../recording/run-queries';
import type { StoreFlags } from '../config';
import { CliError } from '../cli-error';
import { addStoreOptions, collect, parseCount, requireRun, withTracker } from '../context';
import { formatBytes, formatTable, print, toJson, type Column } from '../format';

/** One artifact as a run used it. */
export interface ArtifactRow {
  direction: 'input' | 'output';
  key: string;
  artifact: Artifact;
}

/** Table columns for a run's artifacts. */
export const ARTIFACT_COLUMNS: ReadonlyArray<Column<ArtifactRow>> = [
  { header: 'DIR', value: (r) => (r.direction === 'input' ? 'in' : 'out') },
  { header: 'KEY', value: (r) => r.key, maxWidth: 40 },
  { header: 'DRIVER', value: (r) => r.artifact.driver },
  { header: 'SIZE', value: (r) => formatBytes(r.artifact.size), align: 'right' },
  { header: 'HASH', value: (r) => r.artifact.hash?.replace(/^(\w+:[0-9a-f]{12})[0-9a-f]*$/, '$1') ?? null },
  { header: 'PRODUCER', value: (r) => r.artifact.runId, maxWidth: 40 },
  { header: 'ID', value: (r) => r.artifact.id },
  { header: 'URI', value: (r) => r.artifact.uri, maxWidth: 80 },
];

/** A run's artifacts as rows: inputs first, then outputs, each by key. */
export function artifactRows(arts: RunArtifacts): ArtifactRow[] {
  const rows = (direction: ArtifactRow['direction'], byKey: Record<string, Artifact>) =>
    Object.keys(byKey).sort().map((key) => ({ direction, key, artifact: byKey[key] }));
  return [...rows('input', arts.inputs), ...rows('output', arts.outputs)];
}

interface ArtifactsFlags extends StoreFlags {
  json?: boolean;
  param?: string[];
  namespace?: string;
  keyPrefix?: string;
  schemaId?: string;
  limit?: number;
}

/** Table columns for artifacts found by facets. */
export const FOUND_COLUMNS: ReadonlyArray<Column<Artifact>> = [
  { header: 'KEY', value: (a) => a.key, maxWidth: 40 },
  { header: 'DRIVER', value: (a) => a.driver },
  { header: 'SIZE', value: (a) => formatBytes(a.size), align: 'right' },
  { header: 'PRODUCER', value: (a) => a.runId, maxWidth: 40 },
  { header: 'FACET', value: (a) => (a.meta.facet ? JSON.stringify(a.meta.facet) : null), maxWidth: 60 },
  { header: 'ID', value: (a) => a.id },
];

/**
 * `consist artifacts <run>`: the inputs and outputs of one run; `consist artifacts --param k=v
 * [--namespace ns] [--key-prefix p] [--schema-id id]`: artifacts selected by facets (API.md §11).
 */
export function registerArtifactsCommand(program: Command): void {
  addStoreOptions(program.command('artifacts')
    .description("list a run's input and output artifacts, or artifacts selected by facet predicates")
    .argument('[run]', 'run id')
    .option('--param <predicate>', 'facet predicate key=value, key>=n, key<=n, ns.key=… (repeatable, AND)', collect)
    .option('--namespace <ns>', 'only artifacts faceted in (or produced by a model of) this namespace; default of --param')
    .option('--key-prefix <prefix>', 'only artifact keys starting with this text')
    .option('--schema-id <id>', 'only artifacts of this schema id')
    .option('--limit <n>', 'at most this many artifacts (newest first) when searching', parseCount, 100)
    .option('--json', 'print JSON ({ inputs, outputs } for a run, an array when searching)'))
    .action(async (runId: string | undefined, flags: ArtifactsFlags) => {
      const searching = flags.param !== undefined || flags.namespace !== undefined || flags.keyPrefix !== undefined || flags.schemaId !== undefined;
      if (runId !== undefined && searching) throw CliError.usage('give a run id, or search with --param/--namespace/--key-prefix/--schema-id, not both');
      if (runId === undefined && !searching) throw CliError.usage('give a run id, or search with --param k=v (see consist artifacts --help)');
      if (searching) {
        const found = await withTracker(flags, (t) => t.findArtifacts({
          params: flags.param, namespace: flags.namespace, keyPrefix: flags.keyPrefix, schema: flags.schemaId, limit: flags.limit,
        }));
        print(flags.json ? toJson(found) : found.length ? formatTable(found, FOUND_COLUMNS) : 'No artifacts match.');
        return;
      }
      const run = runId as string;
      const arts = await withTracker(flags, async (t) => {
        await requireRun(t, run);
        return t.getArtifactsForRun(run);
      });
      if (flags.json) print(toJson(arts));
      else {
        const rows = artifactRows(arts);
        print(rows.length ? formatTable(rows, ARTIFACT_COLUMNS) : `Run '${run}' has no artifacts.`);
      }
    });
}
