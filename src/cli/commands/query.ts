import type { Command } from 'commander';
import type { Tracker } from '../../tracker/tracker';
import { CliError } from '../cli-error';
import type { StoreFlags } from '../config';
import { addStoreOptions, withTracker } from '../context';
import { formatTable, print, toCsv, toJson } from '../format';

type SqlRunner = { sql?: (text: string, params?: unknown[]) => Promise<Array<Record<string, unknown>>> };

async function runSql(tracker: Tracker, text: string): Promise<Array<Record<string, unknown>>> {
  const sql = (tracker as unknown as SqlRunner).sql;
  if (typeof sql !== 'function') throw CliError.unavailable('consist query', 'Tracker.sql is missing');
  return sql.call(tracker, text);
}

/** `consist query "<sql>"`: any SQL over the provenance database and its views. */
export function registerQueryCommand(program: Command): void {
  addStoreOptions(program.command('query')
    .description('run SQL against the provenance database (tables run, artifact, run_artifact_link, views, hot.*)')
    .argument('<sql>', 'the SQL text, quoted')
    .option('--json', 'print rows as a JSON array')
    .option('--csv', 'print rows as CSV'))
    .action(async (text: string, flags: StoreFlags & { json?: boolean; csv?: boolean }) => {
      if (flags.json && flags.csv) throw CliError.usage('--json and --csv cannot be combined');
      const rows = await withTracker(flags, (t) => runSql(t, text));
      if (flags.json) return print(toJson(rows));
      if (flags.csv) return rows.length ? print(toCsv(rows)) : undefined;
      if (rows.length === 0) return print('(0 rows)');
      const columns = Object.keys(rows[0]).map((k) => ({ header: k, value: (r: Record<string, unknown>) => r[k] }));
      print(`${formatTable(rows, columns)}\n(${rows.length} row${rows.length === 1 ? '' : 's'})`);
    });
}
