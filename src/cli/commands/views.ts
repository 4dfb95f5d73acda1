import { Option, type Command } from 'commander';
import type { Tracker } from '../../tracker/tracker';
import type { GroupedViewOptions } from '../../views/grouped-options';
import { CliError } from '../cli-error';
import type { StoreFlags } from '../config';
import { addStoreOptions, collect, parseInteger, withTracker } from '../context';
import { cellText, formatFields, formatTable, print, toJson } from '../format';
import { resolveSchemaRef } from './schema-ref';
import { listViews, viewBody } from '../../queries/catalog';
import { quoteIdent } from '../../queries/query-source';

/** Flags of `consist views create`: the library's grouped-view options under their CLI names. */
interface ViewsCreateFlags extends StoreFlags, Pick<GroupedViewOptions,
  'namespace' | 'mode' | 'ifExists' | 'missingFiles' | 'schemaCompatible' | 'runId' | 'parentRunId' | 'model' | 'status' | 'year' | 'iteration'> {
  schemaId?: string;
  schemaName?: string;
  param?: string[];
  attachFacet?: string[];
  driver?: string[];
  systemColumns: boolean;
  json?: boolean;
}

/** What `views create` reports about the view it made. */
export interface CreatedView {
  name: string;
  schemaId: string;
  rows: number;
  columns: Array<{ name: string; type: string }>;
}

/** Maps the CLI flags to `tracker.createGroupedView` options (the schema already resolved). */
export function groupedOptionsFromFlags(flags: ViewsCreateFlags, schemaId: string): GroupedViewOptions {
  return {
    schemaId,
    namespace: flags.namespace,
    params: flags.param ?? [],
    attachFacets: flags.attachFacet ?? [],
    drivers: flags.driver,
    includeSystemColumns: flags.systemColumns,
    mode: flags.mode,
    ifExists: flags.ifExists,
    missingFiles: flags.missingFiles,
    schemaCompatible: Boolean(flags.schemaCompatible),
    runId: flags.runId,
    parentRunId: flags.parentRunId,
    model: flags.model,
    status: flags.status,
    year: flags.year,
    iteration: flags.iteration,
  };
}

async function createView(tracker: Tracker, name: string, flags: ViewsCreateFlags): Promise<CreatedView> {
  const schemaId = await resolveSchemaRef(tracker, { id: flags.schemaId, name: flags.schemaName });
  await tracker.createGroupedView(name, groupedOptionsFromFlags(flags, schemaId));
  const described = await tracker.sql(`DESCRIBE ${quoteIdent(name)}`);
  const [{ n }] = await tracker.sql<{ n: number | bigint }>(`SELECT count(*) AS n FROM ${quoteIdent(name)}`);
  return {
    name, schemaId, rows: Number(n),
    columns: described.map((c) => ({ name: String(c.column_name), type: String(c.column_type) })),
  };
}

function registerCreate(views: Command): void {
  addStoreOptions(views.command('create')
    .description('create a grouped view over artifacts selected by schema, facets and run filters (persists in the database)')
    .argument('<name>', 'view name (always quoted in SQL)')
    .option('--schema-id <id>', 'select artifacts with this schema id (or a unique prefix of at least 8 characters)')
    .option('--schema-name <table>', 'select by the table name a schema was recorded under (e.g. a @Table name)')
    .option('--namespace <ns>', 'default facet namespace of --param and --attach-facet')
    .option('--param <predicate>', 'facet predicate key=value, key>=n, key<=n, ns.key=… (repeatable, AND)', collect)
    .option('--attach-facet <key>', 'add a typed facet_<key> column (repeatable)', collect)
    .option('--driver <driver>', 'only artifacts with this driver, e.g. parquet or csv (repeatable)', collect)
    .addOption(new Option('--mode <mode>', 'ingested rows, cold files, or both').choices(['hybrid', 'hot_only', 'cold_only']).default('hybrid'))
    .addOption(new Option('--if-exists <action>', 'when the view exists').choices(['replace', 'error']).default('replace'))
    .addOption(new Option('--missing-files <action>', 'when a selected file is gone').choices(['warn', 'error', 'skip_silent']).default('warn'))
    .option('--schema-compatible', 'also select schemas of the same table name whose columns are a subset or superset')
    .option('--no-system-columns', 'leave out consist_run_id, consist_artifact_id, consist_year, consist_iteration, consist_scenario_id')
    .option('--run-id <id>', 'only artifacts produced by this run')
    .option('--parent-run-id <id>', 'only artifacts produced by children of this run (a scenario)')
    .option('--model <model>', 'only artifacts produced by runs of this model')
    .addOption(new Option('--status <status>', 'only artifacts produced by runs with this status').choices(['running', 'completed', 'failed']))
    .option('--year <year>', 'only artifacts produced by runs of this year', parseInteger)
    .option('--iteration <n>', 'only artifacts produced by runs of this iteration', parseInteger)
    .option('--json', 'print the result as JSON'))
    .action(async (name: string, flags: ViewsCreateFlags) => {
      if ((flags.schemaId === undefined) === (flags.schemaName === undefined)) {
        throw CliError.usage('pass exactly one of --schema-id or --schema-name');
      }
      const created = await withTracker(flags, (t) => createView(t, name, flags));
      if (flags.json) return print(toJson(created));
      print(formatFields([
        ['view', created.name],
        ['schema', created.schemaId],
        ['rows', created.rows],
        ['columns', created.columns.map((c) => `${c.name} ${c.type}`).join(', ')],
      ]));
    });
}

function registerList(views: Command): void {
  addStoreOptions(views.command('list')
    .description('list the views stored in the database, with their SQL shortened')
    .option('--json', 'print JSON (with the full SQL) instead of a table'))
    .action(async (flags: StoreFlags & { json?: boolean }) => {
      const listed = await withTracker(flags, listViews);
      if (flags.json) return print(toJson(listed));
      if (listed.length === 0) return print('No views.');
      print(formatTable(listed, [
        { header: 'NAME', value: (v) => (v.schema === 'main' ? v.name : `${v.schema}.${v.name}`), maxWidth: 40 },
        { header: 'COLUMNS', value: (v) => v.columns, align: 'right' },
        { header: 'SQL', value: (v) => cellText(viewBody(v.sql)), maxWidth: 80 },
      ]));
    });
}

/** `consist views create|list`: grouped views over many artifacts, and the views stored in the database. */
export function registerViewsCommand(program: Command): void {
  const views = program.command('views').description('create grouped views over many artifacts, list the stored views');
  registerCreate(views);
  registerList(views);
}
