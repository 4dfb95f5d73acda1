import type { Artifact, Run } from '../model';
import { rowToRun } from '../provenance/row-mapping';
import { UiError } from '../errors';
import type { QuerySource } from '../queries/query-source';

/** A run with its artifacts, as the exporters read it. */
export interface ExportedRun { run: Run; inputs: Artifact[]; outputs: Artifact[] }

/** Options of the exporters. */
export interface ExportOptions {
  /** Only runs started at or after this instant (ISO 8601). */
  since?: string;
}

/** Parses `--since`: an ISO date or date-time; `UI_BAD_REQUEST` otherwise. */
export function parseSince(since: string | undefined): string | undefined {
  if (since === undefined) return undefined;
  const t = Date.parse(since);
  if (!/^\d{4}-\d{2}-\d{2}/.test(since) || Number.isNaN(t)) throw UiError.badRequest('since', 'an ISO 8601 date or date-time, e.g. 2026-01-31 or 2026-01-31T12:00:00Z');
  return new Date(t).toISOString();
}

/** The runs to export, oldest first, each with its inputs and outputs (sorted by key). */
export async function* exportedRuns(source: QuerySource, options: ExportOptions = {}): AsyncGenerator<ExportedRun> {
  const since = parseSince(options.since);
  const rows = await source.sql(
    `SELECT * FROM run ${since ? 'WHERE started_at >= ?::TIMESTAMP' : ''} ORDER BY started_at, id`, since ? [since.replace('Z', '')] : []);
  for (const row of rows) {
    const run = rowToRun(row);
    const arts = await source.getArtifactsForRun(run.id);
    const sorted = (m: Record<string, Artifact>) => Object.keys(m).sort().map((k) => m[k]);
    yield { run, inputs: sorted(arts.inputs), outputs: sorted(arts.outputs) };
  }
}
