import type { Run, RunSnapshot } from '../model';
import type { Database } from '../provenance/database';
import type { SnapshotStore } from '../journal/snapshot-store';
import { syncSnapshot } from '../provenance/snapshot-sync';
import type { DoctorFixes, DoctorReport } from './doctor-report';

/** The error recorded on a run whose process died while it was running. */
export const PROCESS_DIED = Object.freeze({ name: 'ProcessDiedError', message: 'process died', code: 'PROCESS_DIED' });

/**
 * Applies the safe repairs for a doctor report: stuck runs become `failed` (snapshot first, then
 * DB) so they are never served as cache hits; missing or pending snapshots are synced.
 * @internal
 */
export async function fixDoctorFindings(db: Database, store: SnapshotStore, report: DoctorReport): Promise<DoctorFixes> {
  const markedFailed: string[] = [];
  for (const stuck of report.runsStuckRunning) {
    const snap = await store.read(stuck.id);
    const reason = `doctor --fix: process ${stuck.pid} on ${stuck.host} is gone`;
    if (snap) {
      const fixed: RunSnapshot = { ...snap, run: markDied(snap.run, reason) };
      await store.write(fixed);
      await db.transaction((tx) => syncSnapshot(tx, fixed));
    } else {
      await markDiedInDb(db, stuck.id, reason);
    }
    markedFailed.push(stuck.id);
  }
  const synced: string[] = [];
  const toSync = new Set([...report.snapshotsMissingFromDb, ...report.pendingSync]);
  for (const id of [...toSync].sort()) {
    const snap = await store.read(id).catch(() => undefined);
    if (snap && snap.run.status !== 'running') {
      await db.transaction((tx) => syncSnapshot(tx, snap));
      synced.push(id);
    }
    if (snap?.run.status !== 'running') await store.clearPending(id);
  }
  return { markedFailed, synced };
}

function markDied(run: Run, reason: string): Run {
  const ended = new Date();
  return {
    ...run,
    status: 'failed',
    error: { ...PROCESS_DIED },
    endedAt: ended.toISOString(),
    durationMs: Math.max(0, ended.getTime() - Date.parse(run.startedAt)),
    meta: { ...run.meta, statusFixReason: reason },
  };
}

async function markDiedInDb(db: Database, id: string, reason: string): Promise<void> {
  const rows = await db.all<{ meta: string | null }>('SELECT meta FROM run WHERE id = ?', [id]);
  const meta = { ...(rows[0]?.meta ? (JSON.parse(rows[0].meta) as Record<string, unknown>) : {}), statusFixReason: reason };
  await db.run(
    `UPDATE run SET status = 'failed', error = ?, meta = ?, ended_at = ?::TIMESTAMP,
       duration_ms = CAST(epoch_ms(?::TIMESTAMP) - epoch_ms(started_at) AS BIGINT) WHERE id = ?`,
    [JSON.stringify(PROCESS_DIED), JSON.stringify(meta), new Date().toISOString(), new Date().toISOString(), id]);
}
