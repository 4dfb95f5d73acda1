import type { Tracker } from '../../tracker/tracker';
import { ViewError } from '../../errors';

/** How the CLI names a stored schema: by id (or unique id prefix) or by recorded table name. */
export interface SchemaRef {
  id?: string;
  name?: string;
}

/** Shortest id prefix accepted in place of a full schema id. */
export const MIN_SCHEMA_PREFIX = 8;

const short = (ids: readonly string[]): string => ids.slice(0, 5).map((id) => id.slice(0, 12)).join(', ') + (ids.length > 5 ? ', …' : '');

/**
 * Resolves a schema reference to one stored schema id.
 *
 * - `id`: an exact id, else a unique prefix of at least {@link MIN_SCHEMA_PREFIX} characters.
 * - `name`: the table name it was recorded under (a `@Table` name, or the key of a profiled file);
 *   when several schemas share it, the single `user_provided` one (a `@Table` class) wins.
 *
 * @throws ViewError `SCHEMA_NOT_FOUND` when nothing matches, `VIEW_SELECTION_INVALID` when ambiguous.
 */
export async function resolveSchemaRef(tracker: Tracker, ref: SchemaRef): Promise<string> {
  if (ref.id !== undefined) {
    const exact = await tracker.sql('SELECT id FROM artifact_schema WHERE id = ?', [ref.id]);
    if (exact.length) return ref.id;
    const prefixed = ref.id.length >= MIN_SCHEMA_PREFIX
      ? (await tracker.sql('SELECT id FROM artifact_schema WHERE starts_with(id, ?) ORDER BY id', [ref.id])).map((r) => String(r.id))
      : [];
    if (prefixed.length === 1) return prefixed[0];
    if (prefixed.length > 1) throw ViewError.selectionInvalid(`schema id prefix '${ref.id}' matches ${prefixed.length} schemas (${short(prefixed)}); give more characters`);
    throw ViewError.schemaNotFound(ref.id);
  }
  const name = ref.name ?? '';
  const rows = await tracker.sql('SELECT id, source FROM artifact_schema WHERE table_name = ? ORDER BY created_at DESC, id', [name]);
  if (rows.length === 1) return String(rows[0].id);
  if (rows.length === 0) throw ViewError.schemaNotFound(name);
  const declared = rows.filter((r) => r.source === 'user_provided');
  if (declared.length === 1) return String(declared[0].id);
  throw ViewError.selectionInvalid(
    `${rows.length} schemas are recorded under the table name '${name}' (${short(rows.map((r) => String(r.id)))}); pass --schema-id`);
}
