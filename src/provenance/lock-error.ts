/** True when a DuckDB error means another process holds the file lock. @internal */
export function isLockConflict(err: unknown): boolean {
  const msg = err instanceof Error ? err.message : String(err);
  return /Could not set lock on file|Conflicting lock is held|database is locked/i.test(msg);
}

/** Extracts `"/usr/bin/node (PID 3470)"` from DuckDB's lock message, or a generic description. @internal */
export function lockHolder(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  const m = /Conflicting lock is held in (.+?\(PID \d+\))/.exec(msg);
  return m ? m[1] : 'another process';
}
