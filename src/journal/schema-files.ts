import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../util/atomic-write';
import { pathExists, touchMarker } from '../util/fs';
import type { SqlExecutor } from '../provenance/executor';

/** One schema as kept on disk next to the snapshots; the `artifact_schema(_field)` rows derive from it. */
export interface SchemaFile {
  version: 1;
  id: string;
  tableName: string | null;
  /** `file`, `user_provided` or `ingest`: where the schema was first seen. */
  source: string;
  fields: { name: string; type: string; nullable: boolean }[];
}

/** A link of an artifact to a schema it was seen with (`artifact_schema_observation`). */
export interface SchemaObservation { artifactId: string; schemaId: string; source: string }

/** What {@link SchemaFileStore.readAll} found, and the files it could not read. */
export interface SchemaFilesContent {
  schemas: SchemaFile[];
  observations: SchemaObservation[];
  problems: { id: string; error: string }[];
}

const HEX_ID = /^[0-9a-f]{16,128}$/;
const OBSERVATION = /^([A-Za-z0-9_.-]+)\.(file|user_provided|ingest)$/;

/**
 * The JSON truth of recorded schemas, so a lost or rebuilt database keeps them:
 * `<runDir>/.consist/schemas/<schemaId>.json` (content-addressed, written once, atomically) and
 * one empty marker per observation, `<runDir>/.consist/schemas/observed/<schemaId>/<artifactId>.<source>`.
 * Written before the DB rows; `consist db rebuild` re-inserts whatever the DB lacks.
 * @internal
 */
export class SchemaFileStore {
  readonly dir: string;

  constructor(runDir: string) {
    this.dir = path.join(runDir, '.consist', 'schemas');
  }

  /** Writes the schema's file unless it exists (schemas are immutable: the id is their hash). */
  async writeSchema(schema: SchemaFile): Promise<void> {
    const file = path.join(this.dir, `${schema.id}.json`);
    if (await pathExists(file)) return;
    await fs.mkdir(this.dir, { recursive: true });
    await writeFileAtomic(file, `${JSON.stringify(schema, null, 2)}\n`);
  }

  async writeObservation(o: SchemaObservation): Promise<void> {
    await touchMarker(path.join(this.dir, 'observed', o.schemaId), `${o.artifactId}.${o.source}`);
  }

  /** Every schema file and observation marker; unreadable or malformed files are reported, not thrown. */
  async readAll(): Promise<SchemaFilesContent> {
    const out: SchemaFilesContent = { schemas: [], observations: [], problems: [] };
    for (const name of await listNames(this.dir)) {
      if (!name.endsWith('.json')) continue;
      const id = name.slice(0, -'.json'.length);
      try {
        const schema = JSON.parse(await fs.readFile(path.join(this.dir, name), 'utf8')) as SchemaFile;
        if (schema?.version === 1 && schema.id === id && Array.isArray(schema.fields)) out.schemas.push(schema);
        else out.problems.push({ id: `schema:${id}`, error: 'not a schema file of version 1' });
      } catch (err) {
        out.problems.push({ id: `schema:${id}`, error: (err as Error).message.split('\n')[0] });
      }
    }
    const observedDir = path.join(this.dir, 'observed');
    for (const schemaId of await listNames(observedDir)) {
      if (!HEX_ID.test(schemaId)) continue;
      for (const marker of await listNames(path.join(observedDir, schemaId))) {
        const m = OBSERVATION.exec(marker);
        if (m) out.observations.push({ artifactId: m[1], schemaId, source: m[2] });
      }
    }
    return out;
  }
}

/** Inserts a schema's `artifact_schema` and `artifact_schema_field` rows unless present (by id). @internal */
export async function insertSchemaRows(tx: SqlExecutor, s: SchemaFile, at: string): Promise<void> {
  await tx.run('INSERT OR IGNORE INTO artifact_schema VALUES (?, ?, ?, ?, ?::TIMESTAMP)', [s.id, s.tableName, s.fields.length, s.source, at]);
  if (!s.fields.length) return;
  await tx.run(`INSERT OR IGNORE INTO artifact_schema_field VALUES ${s.fields.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
    s.fields.flatMap((f, position) => [s.id, position, f.name, f.type, f.nullable]));
}

/** Inserts an `artifact_schema_observation` row unless present. @internal */
export async function insertObservationRow(tx: SqlExecutor, o: SchemaObservation, at: string): Promise<void> {
  await tx.run('INSERT OR IGNORE INTO artifact_schema_observation VALUES (?, ?, ?, ?::TIMESTAMP)', [o.artifactId, o.schemaId, o.source, at]);
}

async function listNames(dir: string): Promise<string[]> {
  try {
    return (await fs.readdir(dir)).sort();
  } catch {
    return [];
  }
}
