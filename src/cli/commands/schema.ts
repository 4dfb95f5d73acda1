import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import type { Tracker } from '../../tracker/tracker';
import { CliError } from '../cli-error';
import type { StoreFlags } from '../config';
import { addStoreOptions, withTracker } from '../context';
import { formatTable, print, toJson } from '../format';
import { MIN_SCHEMA_PREFIX } from './schema-ref';
import { listSchemas } from '../../queries/catalog';

/** Flags of `consist schema export`. */
interface ExportFlags extends StoreFlags {
  out?: string;
  force?: boolean;
  className?: string;
  tableName?: string;
  importFrom?: string;
  includeSystemColumns?: boolean;
}

/** One stored schema of `consist schema list`. */
/**
 * The schema id (full, or a unique prefix of at least 8 characters) or artifact id `ref` names,
 * as `exportSchema` accepts it; an unknown ref is passed through (and reported by the library).
 */
async function expandPrefix(tracker: Tracker, ref: string): Promise<string> {
  if (ref.length < MIN_SCHEMA_PREFIX) return ref;
  const known = await tracker.sql(
    'SELECT 1 FROM artifact_schema WHERE id = ? UNION ALL SELECT 1 FROM artifact WHERE id = ?', [ref, ref]);
  if (known.length) return ref;
  const ids = await tracker.sql('SELECT id FROM artifact_schema WHERE starts_with(id, ?) LIMIT 2', [ref]);
  return ids.length === 1 ? String(ids[0].id) : ref;
}

function registerExport(schema: Command): void {
  addStoreOptions(schema.command('export')
    .description('print (or write) an editable @Table class for a stored schema; it compiles back to the same schema id')
    .argument('<ref>', 'schema id (or a unique prefix), or an artifact id whose schema was recorded')
    .option('--out <file>', 'write the class to this .ts file instead of printing it')
    .option('--force', 'overwrite --out when it exists')
    .option('--class-name <name>', 'class name (default: the table name in PascalCase)')
    .option('--table-name <name>', '@Table({ name }) (default: the recorded table name)')
    .option('--import-from <module>', "module the decorators are imported from (default: 'consist-ts')")
    .option('--include-system-columns', 'keep consist_* columns'))
    .action(async (ref: string, flags: ExportFlags) => {
      const out = flags.out === undefined ? undefined : path.resolve(flags.out);
      if (out !== undefined && existsSync(out) && !flags.force) {
        throw CliError.usage(`'${flags.out}' exists; pass --force to overwrite it`);
      }
      const source = await withTracker(flags, async (t) => t.exportSchema(await expandPrefix(t, ref), {
        className: flags.className, tableName: flags.tableName, importFrom: flags.importFrom,
        includeSystemColumns: flags.includeSystemColumns,
      }));
      if (out === undefined) return print(source);
      mkdirSync(path.dirname(out), { recursive: true });
      writeFileSync(out, source.endsWith('\n') ? source : `${source}\n`);
      const className = /export class (\w+)/.exec(source)?.[1] ?? 'the class';
      print(`Wrote ${className} to ${flags.out}`);
    });
}

function registerList(schema: Command): void {
  addStoreOptions(schema.command('list')
    .description('list the stored schemas (ids for views create --schema-id and schema export)')
    .option('--json', 'print JSON instead of a table'))
    .action(async (flags: StoreFlags & { json?: boolean }) => {
      const schemas = await withTracker(flags, listSchemas);
      if (flags.json) return print(toJson(schemas));
      if (schemas.length === 0) return print('No schemas recorded (log artifacts with profileSchema: true or schema: <@Table class>).');
      print(formatTable(schemas, [
        { header: 'ID', value: (s) => s.id.slice(0, 16) },
        { header: 'TABLE', value: (s) => s.tableName, maxWidth: 40 },
        { header: 'SOURCE', value: (s) => s.source },
        { header: 'FIELDS', value: (s) => s.fields, align: 'right' },
        { header: 'ARTIFACTS', value: (s) => s.artifacts, align: 'right' },
      ]));
    });
}

/** `consist schema export|list`: the schemas recorded for tabular artifacts. */
export function registerSchemaCommand(program: Command): void {
  const schema = program.command('schema').description('export stored schemas as editable @Table classes, list them');
  registerExport(schema);
  registerList(schema);
}
