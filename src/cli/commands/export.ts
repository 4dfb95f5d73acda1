import { createWriteStream, existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { parseSince } from '../../export/export-runs';
import { CliError } from '../cli-error';
import type { StoreFlags } from '../config';
import { addStoreOptions, withTracker } from '../context';
import { print, toJson } from '../format';

interface ExportFlags extends StoreFlags { since?: string; out?: string; force?: boolean; namespace?: string }

/** Checks `--since` and `--out` before the database is opened. */
function checkFlags(flags: ExportFlags): void {
  try {
    parseSince(flags.since);
  } catch {
    throw CliError.usage(`--since must be an ISO 8601 date or date-time (e.g. 2026-01-31 or 2026-01-31T12:00:00Z); got '${flags.since}'`);
  }
  if (flags.out !== undefined && existsSync(flags.out) && !flags.force) throw CliError.usage(`'${flags.out}' exists; pass --force to overwrite it`);
}

/** Writes lines to `--out` (or stdout), returning how many were written. */
async function writeLines(out: string | undefined, lines: AsyncIterable<string>): Promise<number> {
  let n = 0;
  if (out === undefined) {
    for await (const line of lines) {
      process.stdout.write(`${line}\n`);
      n++;
    }
    return n;
  }
  const stream = createWriteStream(path.resolve(out));
  for await (const line of lines) {
    if (!stream.write(`${line}\n`)) await new Promise<void>((resolve) => { stream.once('drain', () => resolve()); });
    n++;
  }
  await new Promise<void>((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return n;
}

const common = (cmd: Command): Command => addStoreOptions(cmd
  .option('--since <date>', 'only runs started at or after this ISO 8601 date or date-time')
  .option('--out <file>', 'write to this file instead of stdout')
  .option('--force', 'overwrite --out when it exists'));

/** `consist export openlineage|prov`: the provenance as OpenLineage run events or W3C PROV-JSON. */
export function registerExportCommand(program: Command): void {
  const exp = program.command('export').description('export provenance as OpenLineage events or W3C PROV-JSON');
  common(exp.command('openlineage')
    .description('OpenLineage 2 run events as JSON lines: START and COMPLETE/FAIL per run, datasets keyed by URI, a consist run facet')
    .option('--namespace <ns>', 'OpenLineage job namespace', 'consist'))
    .action(async (flags: ExportFlags) => {
      checkFlags(flags);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { openLineageLines } = require('../../export/openlineage') as typeof import('../../export/openlineage');
      const n = await withTracker(flags, (t) => writeLines(flags.out, openLineageLines(t, { since: flags.since, namespace: flags.namespace })));
      if (flags.out !== undefined) print(`Wrote ${n} OpenLineage event(s) to ${flags.out}`);
    });
  common(exp.command('prov').description('W3C PROV-JSON: runs as activities, artifacts as entities, used / wasGeneratedBy / wasInformedBy'))
    .action(async (flags: ExportFlags) => {
      checkFlags(flags);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { provDocument } = require('../../export/prov') as typeof import('../../export/prov');
      const doc = await withTracker(flags, (t) => provDocument(t, { since: flags.since }));
      const text = toJson(doc);
      if (flags.out === undefined) return print(text);
      await writeLines(flags.out, (async function* one() { yield text; })());
      print(`Wrote PROV-JSON (${Object.keys(doc.activity).length} activities, ${Object.keys(doc.entity).length} entities) to ${flags.out}`);
    });
}
