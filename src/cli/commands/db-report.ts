import type { CompactReport, DoctorReport, PurgePlan, RebuildReport } from '../../maintenance';
import { colors, formatBytes } from '../format';

const check = (ok: boolean) => (ok ? colors.green('✓') : colors.red('✗'));

function finding(items: readonly string[], what: string): string {
  if (items.length === 0) return `${check(true)} no ${what}`;
  const shown = items.slice(0, 10).map((i) => `    ${i}`).join('\n');
  return `${check(false)} ${items.length} ${what}\n${shown}${items.length > 10 ? `\n    … and ${items.length - 10} more` : ''}`;
}

/** The doctor report as a checklist. */
export function renderDoctor(r: DoctorReport): string {
  const lines = [
    `${check(r.schemaVersion === r.expectedSchemaVersion)} schema version ${r.schemaVersion} (this build: ${r.expectedSchemaVersion})`,
    finding(r.runsStuckRunning.map((s) => `${s.id} (pid ${s.pid} on ${s.host} is gone)`), "runs stuck in 'running'"),
    finding(r.snapshotsMissingFromDb, 'snapshots missing from the database'),
    finding(r.dbRowsWithoutSnapshot, 'database runs without a snapshot'),
    finding(r.artifactsMissingFiles.map((a) => `${a.id}  ${a.uri}${a.path === null ? ' (unknown mount)' : ''}`), 'artifacts with missing files'),
    finding(r.pendingSync, 'snapshots pending sync'),
    finding(r.unreadableSnapshots.map((p) => `${p.id}: ${p.error}`), 'unreadable snapshots'),
  ];
  if (r.fixed) {
    lines.push('', `fixed: ${r.fixed.markedFailed.length} run(s) marked failed, ${r.fixed.synced.length} snapshot(s) synced`);
  }
  if (!r.ok) lines.push('', hints(r));
  return lines.join('\n');
}

function hints(r: DoctorReport): string {
  const out: string[] = [];
  if (r.runsStuckRunning.length || r.snapshotsMissingFromDb.length || r.pendingSync.length) out.push('`consist db doctor --fix` marks stuck runs failed and syncs snapshots.');
  if (r.dbRowsWithoutSnapshot.length || r.unreadableSnapshots.length) out.push('`consist db rebuild` rebuilds the database from the snapshots.');
  return out.map((h) => colors.dim(`hint: ${h}`)).join('\n');
}

/** What rebuild did or would do. */
export function renderRebuild(r: RebuildReport): string {
  const verb = r.dryRun ? 'would rebuild' : 'rebuilt';
  const lines = [`${verb} ${r.runs} run(s), ${r.artifacts} artifact(s), ${r.links} link(s) from ${r.snapshots} snapshot(s)`];
  if (r.schemas || r.observations) lines.push(`${r.dryRun ? 'would restore' : 'restored'} ${r.schemas} schema(s) and ${r.observations} schema observation(s) from .consist/schemas`);
  if (r.droppedRuns.length) lines.push(`${r.dryRun ? 'would drop' : 'dropped'} ${r.droppedRuns.length} run(s) without a snapshot: ${r.droppedRuns.join(', ')}`);
  for (const e of r.errors) lines.push(`${colors.yellow('skipped')} ${e.id}: ${e.error}`);
  return lines.join('\n');
}

/** Sizes before and after compaction. */
export function renderCompact(r: CompactReport): string {
  return `${r.path}: ${formatBytes(r.sizeBefore)} → ${formatBytes(r.sizeAfter)}${r.rewritten ? '' : ' (checkpoint only)'}`;
}

/** The purge plan (dry run) or what was purged. */
export function renderPurge(p: PurgePlan): string {
  const verb = p.dryRun ? 'would delete' : 'deleted';
  return [
    `${verb} ${p.runs.length} run(s): ${p.runs.join(', ')}`,
    `${verb} ${p.folders.length} folder(s)${p.folders.map((f) => `\n    ${f}`).join('')}`,
    `${verb} ${p.artifacts.length} artifact row(s), ${p.hotRows} ingested row(s)`,
    ...(p.keptArtifacts.length ? [`kept ${p.keptArtifacts.length} artifact(s) other runs still use`] : []),
  ].join('\n');
}
