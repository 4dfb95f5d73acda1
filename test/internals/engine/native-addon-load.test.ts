import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as arrow from 'apache-arrow';
import { DuckDBInstance } from '@duckdb/node-api';
import { loadNativeAddon } from '../../../src/engine/native-parquet';
import { DUCKDB_OPTIONS } from '../../../src/provenance/instance-registry';
import { memoryLogger, tmpWorkspace, type Workspace } from '../../helpers/workspace';

const ADDON = path.resolve(__dirname, '../../../native/build/Release/consist_arrow_parquet.node');
const built = existsSync(ADDON) && process.env.CONSIST_NATIVE !== '0';
if (!built) console.log(`native-addon-load: ${ADDON} is not built (or CONSIST_NATIVE=0); the real-addon checks are skipped`);

/** A stand-in addon module (plain JS) with the given `builtFor` and `libraryVersion()`. */
function fakeAddon(ws: Workspace, builtFor: string, loaded: string): string {
  const file = ws.path(`fake-${builtFor}.js`);
  writeFileSync(file, `let configured = null;
module.exports = { builtFor: ${JSON.stringify(builtFor)}, libraryVersion: () => ${JSON.stringify(loaded)},
  configure: (o) => { configured = o; return true; }, configured: () => configured, copyArrow: async () => undefined };`);
  return file;
}

describe('loading the native Parquet addon', () => {
  let ws: Workspace;
  beforeEach(() => (ws = tmpWorkspace('native-load-')));
  afterEach(() => ws.cleanup());

  (built ? it : it.skip)('the built addon was compiled against the DuckDB this process loads, and opens with DUCKDB_OPTIONS', async () => {
    const logger = memoryLogger();
    const addon = loadNativeAddon(ADDON, logger);
    expect(addon).not.toBeNull();
    expect(logger.warnings).toEqual([]);
    const instance = await DuckDBInstance.create(':memory:', DUCKDB_OPTIONS);
    const conn = await instance.connect();
    const version = (await conn.runAndReadAll('SELECT version() AS v')).getRowObjectsJS()[0].v as string;
    expect(addon!.builtFor).toBe(addon!.libraryVersion());
    expect(addon!.libraryVersion()).toBe(version);
    // The addon's own DuckDB reports the options it was opened with (read back from a file it writes).
    const file = ws.path('settings.parquet');
    const src = new arrow.Table({ n: arrow.vectorFromArray([1], new arrow.Int32()) });
    await addon!.copyArrow([{ name: 'n', format: 'i' }], [{ length: 1, columns: [{ nullCount: 0, validity: null, data: src.getChild('n')!.data[0].values, offsets: null }] }],
      `COPY (SELECT current_setting('autoinstall_known_extensions') AS install, current_setting('autoload_known_extensions') AS autoload
        FROM consist_arrow_src) TO '${file}' (FORMAT parquet)`);
    const rows = (await conn.runAndReadAll('SELECT * FROM read_parquet(?)', [file])).getRowObjectsJS();
    expect(rows).toEqual([{ install: false, autoload: false }]);
    conn.closeSync();
    instance.closeSync();
  });

  it('falls back to the portable path with one warning when the addon was built for another DuckDB', () => {
    const logger = memoryLogger();
    expect(loadNativeAddon(fakeAddon(ws, 'v1.4.0', 'v1.5.6'), logger)).toBeNull();
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toMatch(/built for DuckDB v1\.4\.0, but DuckDB v1\.5\.6 is loaded.*portable writer.*npm rebuild consist-ts/);
  });

  it('falls back with one warning when the addon does not load, or predates the version check', () => {
    const broken = ws.path('broken.js');
    writeFileSync(broken, 'throw new Error("undefined symbol: duckdb_open_ext");');
    const old = ws.path('old.js');
    writeFileSync(old, 'module.exports = { copyArrow: async () => undefined };');
    const logger = memoryLogger();
    expect(loadNativeAddon(broken, logger)).toBeNull();
    expect(loadNativeAddon(old, logger)).toBeNull();
    expect(logger.warnings).toEqual([
      expect.stringMatching(/does not load \(undefined symbol: duckdb_open_ext\)/),
      expect.stringMatching(/is from an older consist-ts/),
    ]);
  });

  it('configures a matching addon with the library options', () => {
    const logger = memoryLogger();
    const file = fakeAddon(ws, 'v1.5.6', 'v1.5.6');
    const addon = loadNativeAddon(file, logger) as unknown as { configured(): unknown } | null;
    expect(logger.warnings).toEqual([]);
    expect(addon?.configured()).toEqual({ ...DUCKDB_OPTIONS });
  });
});
