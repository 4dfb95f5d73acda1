const counts = new Map<string, number>();

/**
 * A test hook for crash-safety tests: kills this process with SIGKILL when
 * `CONSIST_CRASH_AT` names `label` (and, with `CONSIST_CRASH_NTH=n`, only at its n-th hit).
 * A no-op costing one env lookup otherwise; never set these variables in production.
 * @internal
 */
export function crashPoint(label: string): void {
  const target = process.env.CONSIST_CRASH_AT;
  if (target === undefined || target !== label) return;
  const hit = (counts.get(label) ?? 0) + 1;
  counts.set(label, hit);
  const nth = Number(process.env.CONSIST_CRASH_NTH ?? '1');
  if (hit === nth) process.kill(process.pid, 'SIGKILL');
}
