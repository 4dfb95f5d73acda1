import type { Command } from 'commander';
import type { Artifact } from '../../model';
import type { RunArtifacts } from '../../recording/run-queries';
import type { StoreFlags } from '../config';
import { addStoreOptions, requireRun, withTracker } from '../context';
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

/** `consist artifacts <run>`: the inputs and outputs of one run. */
export function registerArtifactsCommand(program: Command): void {
  addStoreOptions(program.command('artifacts')
    .description("list a run's input and output artifacts")
    .argument('<run>', 'run id')
    .option('--json', 'print JSON ({ inputs, outputs } keyed by artifact key)'))
    .action(async (runId: string, flags: StoreFlags & { json?: boolean }) => {
      const arts = await withTracker(flags, async (t) => {
        await requireRun(t, runId);
        return t.getArtifactsForRun(runId);
      });
      if (flags.json) print(toJson(arts));
      else {
        const rows = artifactRows(arts);
        print(rows.length ? formatTable(rows, ARTIFACT_COLUMNS) : `Run '${runId}' has no artifacts.`);
      }
    });
}
