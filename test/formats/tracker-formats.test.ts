import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { Tracker, type GtfsFeed, type H5Store, type OmxFile, type ZarrStore, FormatError, omxToLongTable } from '../../src/index';
import { PIPELINE_H5, tempDir, writeOmx } from './format-fixtures';
import { writeZarrV2 } from './zarr-fixtures';
import { artifactRows } from '../../src/cli/commands/artifacts';
import { formatContents } from '../../src/cli/commands/format-contents';

/** A small valid GTFS feed; `extra` entries are added as they are (names unchecked). */
export function gtfsZip(path: string, opts: { drop?: string[]; extra?: Record<string, string> } = {}): Promise<string> {
  const files: Record<string, string> = {
    'agency.txt': 'agency_id,agency_name,agency_url,agency_timezone\nA,Metro,https://m.example,America/Los_Angeles\n',
    'stops.txt': '\ufeffstop_id,stop_name,stop_lat,stop_lon\nS1,First,37.1,-122.1\nS2,Second,37.2,-122.2\nS3,Third,37.3,-122.3\n',
    'routes.txt': 'route_id,agency_id,route_short_name,route_type\nR1,A,1,3\n',
    'trips.txt': 'route_id,service_id,trip_id\nR1,WK,T1\nR1,WK,T2\n',
    'stop_times.txt': 'trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT1,08:00:00,08:00:00,S1,1\nT1,08:10:00,08:10:00,S2,2\nT2,24:50:00,24:50:00,S1,1\nT2,25:05:00,25:05:00,S3,2\n',
    'calendar.txt': 'service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nWK,1,1,1,1,1,0,0,20240101,20241231\n',
    ...(opts.extra ?? {}),
  };
  for (const d of opts.drop ?? []) delete files[d];
  return fs.writeFile(path, zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)])))).then(() => path);
}

describe('tracker: transport-model formats (API.md §12)', () => {
  let dir: string;
  let tracker: Tracker;
  beforeEach(async () => {
    dir = tempDir('fmt-tracker-');
    tracker = await Tracker.open({ runDir: join(dir, 'runs') });
  });
  afterEach(() => tracker.close());

  test('OMX, pandas HDF5, Zarr and GTFS are inferred, profiled on log and load as handles', async () => {
    const omxPath = await writeOmx(join(dir, 'skims.omx'), { n: 4 });
    const h5Path = join(dir, 'pipeline.h5');
    await fs.copyFile(PIPELINE_H5, h5Path);
    const zarrPath = await writeZarrV2(join(dir, 'skims.zarr'), { codec: { id: 'zlib', level: 1 } });
    const gtfsPath = await gtfsZip(join(dir, 'feed.zip'));
    const [omx, h5, zarr, gtfs] = await tracker.startRun('log_formats', { model: 'pilates' }, async () => [
      await tracker.logArtifact(omxPath, { key: 'skims', direction: 'input' }),
      await tracker.logArtifact(h5Path, { key: 'pipeline', direction: 'input' }),
      await tracker.logArtifact(zarrPath, { key: 'zarr_skims', direction: 'input' }),
      await tracker.logArtifact(gtfsPath, { key: 'gtfs', direction: 'input' }),
    ]);
    expect([omx.driver, h5.driver, zarr.driver, gtfs.driver]).toEqual(['omx', 'h5', 'zarr', 'gtfs']);
    expect(omx.hash).toMatch(/^hdf5:/);
    expect(zarr.hash).toMatch(/^zarr:/);
    expect(gtfs.hash).toMatch(/^sha256:/);
    expect(omx.meta.format).toMatchObject({ kind: 'omx', shape: [4, 4], matrices: [{ name: 'dist', dtype: 'float64', shape: [4, 4], attributes: { units: 'km' } }, { name: 'time' }] });
    expect((h5.meta.format as { tables: unknown[] }).tables).toContainEqual({ key: 'persons/initialize_households', format: 'table', columns: ['person_id', 'household_id', 'age', 'ptype'], rows: 100 });
    expect(gtfs.meta.format).toMatchObject({ kind: 'gtfs', files: expect.arrayContaining([{ name: 'stop_times', file: 'stop_times.txt', rows: 4 }]) });

    // queryable: artifact meta is in the provenance DB
    const rows = await tracker.sql(`SELECT key FROM artifact WHERE json_extract_string(meta, '$.format.kind') = 'omx'`);
    expect(rows.map((r) => r.key)).toEqual(['skims']);

    // `consist show` prints a Contents section from this metadata
    const contents = formatContents(artifactRows(await tracker.getArtifactsForRun('log_formats')));
    expect(contents).toEqual(expect.arrayContaining([
      '  skims (omx): 2 matrices 4×4: dist float64, time float64',
      expect.stringMatching(/^  gtfs \(gtfs\): agency 1, calendar 1, routes 1, stop_times 4, stops 3, trips 2$/),
      expect.stringMatching(/^  pipeline \(h5\): 4 pandas tables: checkpoints \(fixed, 2 rows × 3 cols\)/),
      '  zarr_skims (zarr): / float64 5×6 v2',
    ]));

    const skims = await tracker.load<OmxFile>(omx);
    try {
      expect(skims.matrices).toEqual(['dist', 'time']);
      const long = omxToLongTable(skims, { lookup: 'zone_id' });
      expect(long.numRows).toBe(16);
      expect(long.get(5)!.toJSON()).toMatchObject({ origin: 102, destination: 102, time: 6, dist: 60 });
    } finally {
      skims.close();
    }
    const store = await tracker.load<H5Store>(h5);
    try {
      expect((await store.table('households/initialize_households')).numRows).toBe(50);
    } finally {
      store.close();
    }
    const z = await tracker.load<ZarrStore>(zarr);
    expect(z.shape).toEqual([5, 6]);
    expect(Array.from(await z.read([[1, 3], [2, 4]]) as Float64Array)).toEqual([8, 9, 14, 15]);

    const feed = await tracker.load<GtfsFeed>(gtfs);
    expect(feed.tables).toEqual(['agency', 'calendar', 'routes', 'stop_times', 'stops', 'trips']);
    const st = await feed.table('stop_times');
    expect(st.getChild('arrival_time')!.toArray()).toContain('25:05:00');
    expect(st.getChild('stop_sequence')!.toArray()[3]).toBe(2);
    const stops = await feed.table('stops');
    expect(stops.getChild('stop_lat')!.toArray()[1]).toBeCloseTo(37.2);
    const again = await tracker.load<GtfsFeed>(gtfs);
    expect(again.dir).toBe(feed.dir); // extracted once, cached by the zip's hash
  });

  test('bad input: typed errors naming the file, nothing recorded, no partial GTFS cache', async () => {
    const evil = await gtfsZip(join(dir, 'evil.zip'), { extra: { '../escape.txt': 'x' } });
    const partial = await gtfsZip(join(dir, 'partial_gtfs.zip'), { drop: ['stop_times.txt'] });
    const cut = join(dir, 'cut.omx');
    await fs.writeFile(cut, (await fs.readFile(await writeOmx(join(dir, 'ok.omx'), { n: 64 }))).subarray(0, 2000));
    await tracker.startRun('bad_inputs', { model: 'pilates' }, async () => {
    const unsafe = await tracker.logArtifact(evil, { key: 'evil', driver: 'gtfs', direction: 'input' }).catch((e: unknown) => e);
    expect(unsafe).toBeInstanceOf(FormatError);
    expect(unsafe).toMatchObject({ code: 'ZIP_UNSAFE_ENTRY', details: { place: '../escape.txt' } });
    await expect(tracker.logArtifact(partial, { key: 'partial', direction: 'input' })).rejects.toMatchObject({ code: 'GTFS_MISSING_FILE' });
    await expect(tracker.logArtifact(cut, { key: 'cut', direction: 'input' })).rejects.toMatchObject({ code: 'FORMAT_CORRUPT' });
    });
    const arts = await tracker.getArtifactsForRun('bad_inputs');
    expect(Object.keys(arts.inputs)).toEqual([]);
    const cache = join(dir, 'runs', '.consist', 'cache', 'gtfs');
    expect(await fs.readdir(cache).catch(() => [])).toEqual([]);
  });
});
