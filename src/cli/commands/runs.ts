import { Option, type Command } from 'commander';
import type { Run, RunStatus } from '../../model';
import { CliError } from '../cli-error';
import type { StoreFlags } from '../config';
import { addStoreOptions, parseCount, parseInteger, withTracker } from '../context';
import { parseFacetFlags } from '../facet-flags';
import { formatDuration, formatTable, paintStatus, print, toJson, type Column } from '../format';
import { watchRuns } from './runs-watch';

interface RunsFlags extends StoreFlags {
  model?: string;
  status?: string;
  scenario?: string;
  year?: number;
  tag?: string[];
  facet?: string[];
  namespace?: string;
  limit: number;
  json?: boolean;
  watch?: number | true;
  iterations?: number;
}

const STATUSES: readonly RunStatus[] = ['running', 'completed', 'failed'];

/** Table columns for a list of runs. */
export const RUN_COLUMNS: ReadonlyArray<Column<Run>> = [
  { header: 'ID', value: (r) => r.id, maxWidth: 48 },
  { header: 'NAME', value: (r) => r.name, maxWidth: 32 },
  { header: 'MODEL', value: (r) => r.model, maxWidth: 24 },
  { header: 'STATUS', value: (r) => r.status, paint: (t) => paintStatus(t) },
  { header: 'YEAR', value: (r) => r.year, align: 'right' },
  { header: 'STARTED', value: (r) => r.startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z') },
  { header: 'DURATION', value: (r) => formatDuration(r.durationMs), align: 'right' },
  { header: 'CACHE', value: (r) => (r.cacheHit ? `hit ← ${r.reusedRunId ?? '?'}` : r.signature ? 'miss' : '') },
];

/** `consist runs`: recent runs, newest first, filtered. */
export function registerRunsCommand(program: Command): void {
  addStoreOptions(program.command('runs')
    .description('list recent runs, newest first')
    .option('--model <model>', 'only runs of this model')
    .option('--status <status>', `only runs with this status (${STATUSES.join(' | ')})`)
    .option('--scenario <parentId>', 'only the steps of this scenario (runs with this parent run id)')
    .option('--year <year>', 'only runs of this year', parseInteger)
    .option('--tag <tag>', 'only runs with this tag (repeatable: all must match)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--facet <key=value>', 'only runs whose facet has this value (repeatable: all must match)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--namespace <ns>', 'facet namespace of --facet (a run facet is recorded under the run model); default any')
    .option('--limit <n>', 'at most this many runs', parseCount, 50)
    .option('--json', 'print JSON instead of a table')
    .option('--watch [seconds]', 're-list every few seconds (default 2) until interrupted; does not block writers', parseCount)
    .addOption(new Option('--iterations <n>', 'with --watch: stop after n refreshes').argParser(parseCount).hideHelp()))
    .action(async (flags: RunsFlags) => {
      if (flags.status !== undefined && !STATUSES.includes(flags.status as RunStatus)) {
        throw CliError.usage(`--status must be one of ${STATUSES.join(', ')}; got '${flags.status}'`);
      }
      const filter = {
        model: flags.model, status: flags.status as RunStatus | undefined, parentId: flags.scenario,
        year: flags.year, tags: flags.tag, limit: flags.limit,
        ...(flags.facet ? { facet: parseFacetFlags(flags.facet) } : {}), ...(flags.namespace !== undefined ? { namespace: flags.namespace } : {}),
      };
      if (flags.watch !== undefined) {
        if (flags.json) throw CliError.usage('--watch and --json cannot be combined');
        const intervalMs = (flags.watch === true ? 2 : Math.max(1, flags.watch)) * 1000;
        return watchRuns(flags, filter, RUN_COLUMNS, { intervalMs, iterations: flags.iterations });
      }
      const runs = await withTracker(flags, (t) => t.findRuns(filter));
      if (flags.json) print(toJson(runs));
      else print(runs.length ? formatTable(runs, RUN_COLUMNS) : 'No runs found.');
    });
}
