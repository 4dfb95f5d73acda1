import type { Command } from 'commander';
import type { RunValueChange } from '../../recording/run-diff';
import type { StoreFlags } from '../config';
import { addStoreOptions, withTracker } from '../context';
import { formatTable, print, toJson, type Column } from '../format';

interface DiffFlags extends StoreFlags {
  namespace?: string;
  prefix?: string;
  all?: boolean;
  json?: boolean;
}

type DiffRow = { key: string } & RunValueChange;

const show = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** `consist diff <a> <b>`: config and facet values that differ between two runs (API.md §11). */
export function registerDiffCommand(program: Command): void {
  addStoreOptions(program.command('diff')
    .description('compare the config and facets of two runs, key by key')
    .argument('<a>', 'run id')
    .argument('<b>', 'run id')
    .option('--namespace <ns>', 'compare facets only when recorded under this namespace (the run model)')
    .option('--prefix <text>', "only keys starting with this text ('year', 'config.', 'facet.scenario')")
    .option('--all', 'also list keys whose values are equal')
    .option('--json', 'print JSON ({ a, b, changes: { key: { a, b } } })'))
    .action(async (a: string, b: string, flags: DiffFlags) => {
      const diff = await withTracker(flags, (t) => t.diffRuns(a, b, { namespace: flags.namespace, prefix: flags.prefix, includeEqual: flags.all ?? false }));
      if (flags.json) {
        print(toJson(diff));
        return;
      }
      const rows: DiffRow[] = Object.entries(diff.changes).map(([key, c]) => ({ key, ...c }));
      const columns: ReadonlyArray<Column<DiffRow>> = [
        { header: 'KEY', value: (r) => r.key, maxWidth: 60 },
        { header: a, value: (r) => show(r.a), maxWidth: 60 },
        { header: b, value: (r) => show(r.b), maxWidth: 60 },
      ];
      print(rows.length ? formatTable(rows, columns) : `Runs '${a}' and '${b}' have the same config and facets.`);
    });
}
