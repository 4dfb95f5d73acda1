/**
 * The hot table name (in schema `hot`) for an artifact key or @Table name: lower case, characters
 * outside `[a-z0-9_]` replaced by `_`, a leading digit prefixed with `_`. Always quoted in SQL anyway.
 */
export function hotTableName(keyOrName: string): string {
  const s = keyOrName.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return /^[0-9]/.test(s) || s === '' ? `_${s}` : s;
}
