/** Statements a read-only query may start with. */
const READ_STARTS = new Set(['SELECT', 'WITH', 'FROM', 'VALUES']);
/** Words that mark a statement that may write (or run another statement), wherever they appear. */
const WRITE_WORDS = new Set([
  'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'CREATE', 'DROP', 'ALTER', 'COPY', 'ATTACH', 'DETACH', 'CHECKPOINT',
  'VACUUM', 'TRUNCATE', 'CALL', 'PRAGMA', 'SET', 'RESET', 'EXPORT', 'IMPORT', 'LOAD', 'INSTALL', 'USE', 'BEGIN',
  'COMMIT', 'ROLLBACK', 'ANALYZE', 'EXPLAIN', 'EXECUTE', 'PREPARE',
]);

/** `text` without comments, string literals and quoted identifiers (each replaced by a space). */
function stripLiterals(text: string): string {
  return text.replace(/--[^\n]*|\/\*[\s\S]*?(\*\/|$)|'(?:[^']|'')*('|$)|"(?:[^"]|"")*("|$)|\$\$[\s\S]*?(\$\$|$)/g, ' ');
}

/**
 * True only when `sql` is certainly a single read-only statement: it starts with `SELECT`, `WITH`,
 * `FROM` or `VALUES` and, outside comments, strings and quoted identifiers, names no keyword of a
 * statement that writes. Conservative: `false` for anything else (a miss only costs a freshness
 * check), never `true` for a statement that can change the database.
 * @internal
 */
export function isReadOnlySql(sql: string): boolean {
  if (sql.includes('\\')) return false; // escape strings (E'…\'…') could hide a statement from the scan below
  const statements = stripLiterals(sql).split(';').map((s) => s.trim()).filter(Boolean);
  if (statements.length !== 1) return false;
  const words = statements[0].toUpperCase().match(/[A-Z_][A-Z0-9_$]*/g) ?? [];
  return words.length > 0 && READ_STARTS.has(words[0] as string) && !words.some((w) => WRITE_WORDS.has(w));
}
