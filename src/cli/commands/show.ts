import type { Command } from 'commander';
import type { Run } from '../../model';
import type { StoreFlags } from '../config';
import { addStoreOptions, requireRun, withTracker } from '../context';
import { colors, formatDuration, formatFields, formatTable, paintStatus, print, toJson } from '../format';
import { ARTIFACT_COLUMNS, artifactRows } from './artifacts';
import { RUN_COLUMNS } from './runs';
import { identityOf } from '../../queries/run-detail';
import { formatContents } from './format-contents';

const HIDDEN_META = new Set(['pid', 'host', 'identity', 'cacheMissExplanation']);

function runFields(run: Run): Array<[string, unknown]> {
  return [
    ['id', run.id], ['name', run.name], ['kind', run.kind], ['status', paintStatus(run.status)],
    ['model', run.model], ['parent', run.parentRunId], ['year', run.year], ['iteration', run.iteration],
    ['tags', run.tags.join(', ')], ['started', run.startedAt], ['ended', run.endedAt],
    ['duration', formatDuration(run.durationMs)],
    ['cache', run.cacheHit ? `hit (reused ${run.reusedRunId ?? '?'})` : run.signature ? 'miss' : null],
    ['process', run.meta.pid ? `pid ${String(run.meta.pid)} on ${String(run.meta.host)}` : null],
    ...(run.error ? [['error', `${run.error.code ?? run.error.name}: ${run.error.message}`] as [string, unknown]] : []),
  ];
}

/** The identity summary: the hashes that make the signature, plus what `meta.identity` recorded. */
export function identityFields(run: Run): Array<[string, unknown]> {
  return identityOf(run).map((f) => [f.name, f.value]);
}

function section(title: string, body: string): string {
  return `\n${colors.bold(title)}\n${body}`;
}

/** `consist show <run>`: everything recorded about one run. */
export function registerShowCommand(program: Command): void {
  addStoreOptions(program.command('show')
    .description('show one run: fields, identity, config, inputs and outputs')
    .argument('<run>', 'run id')
    .option('--history', 'list every execution recorded under this run id, newest first')
    .option('--json', 'print JSON ({ run, inputs, outputs }; with --history, the runs)'))
    .action(async (runId: string, flags: StoreFlags & { json?: boolean; history?: boolean }) => {
      if (flags.history) {
        const runs = await withTracker(flags, (t) => t.runHistory(runId));
        return print(flags.json ? toJson(runs) : formatTable(runs, RUN_COLUMNS));
      }
      const { run, arts } = await withTracker(flags, async (t) => {
        const found = await requireRun(t, runId);
        return { run: found, arts: await t.getArtifactsForRun(found.id) };
      });
      if (flags.json) return print(toJson({ run, ...arts }));
      const meta = Object.entries(run.meta).filter(([k]) => !HIDDEN_META.has(k));
      const rows = artifactRows(arts);
      print([
        formatFields(runFields(run)),
        section('Identity', formatFields(identityFields(run), '  ')),
        section('Config', `  ${toJson(run.config, 0)}`),
        ...(run.facet ? [section('Facet', `  ${toJson(run.facet, 0)}`)] : []),
        ...(meta.length ? [section('Meta', formatFields(meta, '  '))] : []),
        section(`Artifacts (${rows.length})`, rows.length ? formatTable(rows, ARTIFACT_COLUMNS) : '  none'),
        ...(formatContents(rows).length ? [section('Contents', formatContents(rows).join('\n'))] : []),
      ].join('\n'));
    });
}
