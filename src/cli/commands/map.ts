import type { Command } from 'commander';
import { readdirSync } from 'node:fs';
import { SweepError } from '../../errors';
import { SweepRecord, sweepsRoot, type ItemState } from '../../sweeps/sweep-record';
import { readJsonIfAny } from '../../sweeps/job-file';
import type { StoreFlags } from '../config';
import { resolveStore } from '../config';
import { addStoreOptions } from '../context';
import { formatTable, print, toJson } from '../format';

const STATES: ItemState[] = ['pending', 'queued', 'running', 'hit', 'done', 'duplicate', 'failed'];

/** The text report of `consist map status`. */
function render(record: SweepRecord, errors: Map<number, string>): string {
  const { info, status } = record;
  const counts = STATES.map((s) => [s, status.items.filter((i) => i.state === s).length] as const).filter(([, n]) => n > 0);
  const lines = [
    `sweep ${info.id}: ${info.step} × ${info.items} on ${info.executor}${status.finished ? ' (finished)' : ''}`,
    `folder ${record.dir}`, `updated ${status.updatedAt}`, counts.map(([s, n]) => `${s} ${n}`).join(' · '),
  ];
  const failed = status.items.filter((i) => i.state === 'failed');
  if (failed.length) {
    lines.push('', formatTable(failed, [
      { header: 'item', value: (i) => i.index, align: 'right' }, { header: 'reason', value: (i) => i.reason },
      { header: 'job', value: (i) => i.jobId }, { header: 'exit', value: (i) => i.exitCode },
      { header: 'error', value: (i) => errors.get(i.index), maxWidth: 100 },
    ]));
  }
  return lines.join('\n');
}

/** `consist map status <sweep-id>` (and `consist map list`): where a sweep's items are. */
export function registerMapCommand(program: Command): void {
  const map = program.command('map').description('sweeps started by tracker.map');
  addStoreOptions(map.command('status <sweepId>')
    .description("a sweep's items: done, hits, running, failed (with job id, exit code and error)")
    .option('--json', 'print the status as JSON'))
    .action(async (sweepId: string, flags: StoreFlags & { json?: boolean }) => {
      const store = resolveStore(flags);
      const record = await SweepRecord.read(store.runDir, sweepId);
      if (!record) throw SweepError.notFound(sweepId, sweepsRoot(store.runDir));
      const errors = new Map<number, string>();
      for (const i of record.status.items.filter((x) => x.state === 'failed')) {
        const r = i.error ? undefined : await readJsonIfAny<{ error?: { code?: string; message: string } }>(`${record.itemDir(i.index)}/result.json`);
        const text = i.error ?? (r?.error ? `${r.error.code ?? ''} ${r.error.message}`.trim() : undefined);
        if (text) errors.set(i.index, text.slice(0, 120));
      }
      print(flags.json ? toJson({ ...record.info, ...record.status }) : render(record, errors));
    });
  addStoreOptions(map.command('list').description('sweep ids of the runs folder, oldest first'))
    .action((flags: StoreFlags) => {
      let ids: string[] = [];
      try { ids = readdirSync(sweepsRoot(resolveStore(flags).runDir)).sort(); } catch { /* none yet */ }
      print(ids.join('\n'));
    });
}
