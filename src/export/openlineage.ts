import type { QuerySource } from '../queries/query-source';
import { runEvents } from '../recording/openlineage-events';
import { exportedRuns, type ExportOptions } from './export-runs';

/** Options of the OpenLineage export. */
export interface OpenLineageOptions extends ExportOptions {
  /** Job namespace. Default `consist`. */
  namespace?: string;
}

/** Every run's OpenLineage events, oldest run first, one JSON line each (`consist export openlineage`). */
export async function* openLineageLines(source: QuerySource, options: OpenLineageOptions = {}): AsyncGenerator<string> {
  const jobNames = new Map<string, string>();
  for await (const r of exportedRuns(source, options)) {
    jobNames.set(r.run.id, r.run.name); // a scenario header starts before its steps
    for (const e of runEvents(r, { namespace: options.namespace ?? 'consist', jobNames })) yield JSON.stringify(e);
  }
}
