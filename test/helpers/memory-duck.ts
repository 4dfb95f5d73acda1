import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { DUCKDB_OPTIONS } from '../../src/provenance/instance-registry';

/** A fresh in-memory DuckDB, a connection on it, and a temp folder, for each test of the calling `describe`. */
export interface MemoryDuck {
  readonly instance: DuckDBInstance;
  readonly conn: DuckDBConnection;
  readonly dir: string;
}

/** Registers beforeEach/afterEach that open and close a {@link MemoryDuck}; read its fields inside tests. */
export function useMemoryDuck(prefix = 'consist-duck-'): MemoryDuck {
  const state = {} as { instance: DuckDBInstance; conn: DuckDBConnection; dir: string };
  beforeEach(async () => {
    state.instance = await DuckDBInstance.create(':memory:', DUCKDB_OPTIONS);
    state.conn = await state.instance.connect();
    state.dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  });
  afterEach(async () => {
    state.conn.closeSync();
    state.instance.closeSync();
    await fs.rm(state.dir, { recursive: true, force: true });
  });
  return state;
}
