import { existsSync, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { ConfigurationError, FormatError, Tracker, omxToLongTable, writeOmxFile, type OmxFile } from '../../src/index';
import { PIPELINE_H5, tempDir, writeOmx } from './format-fixtures';
import { Person } from '../fixtures/person-table';

/** A GTFS feed: `trip` runs past midnight (`25:10:00`), `extra` files are added as they are. */
async function feed(path: string, opts: { trip: string; extra?: Record<string, string> }): Promise<string> {
  const files: Record<string, string> = {
    'agency.txt': 'agency_id,agency_name,agency_url,agency_timezone\nA,Metro,https://m.example,America/Los_Angeles\n',
    'stops.txt': '\ufeffstop_id,stop_name,stop_lat,stop_lon,wheelchair_boarding\nS1,First,37.1,-122.1,1\nS2,Second,37.2,-122.2,\nS3,Third,37.3,-122.3,2\n',
    'routes.txt': 'route_id,agency_id,route_short_name,route_type\nR1,A,1,3\n',
    'trips.txt': `route_id,service_id,trip_id\nR1,WK,${opts.trip}\n`,
    'stop_times.txt': 'trip_id,arrival_time,departure_time,stop_id,stop_sequence,platform_note\n' +
      `${opts.trip},24:50:00,24:51:00,S1,1,north\n${opts.trip},25:10:00,25:10:00,S3,2,\n`,
    'calendar.txt': 'service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nWK,1,1,1,1,1,0,0,20240101,20241231\n',
    ...(opts.extra ?? {}),
  };
  await fs.writeFile(path, zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)]))));
  return path;
}

describe('built-in GTFS schemas (API.md §12: builtinSchemas)', () => {
  test('tracker.views.StopTimes / Stops / Calendar read every logged feed with GTFS types and provenance', async () => {
    const dir = tempDir('gtfs-views-');
    const tracker = await Tracker.open({ runDir: join(dir, 'runs'), builtinSchemas: ['gtfs'] });
    try {
      const a = await feed(join(dir, 'a_gtfs.zip'), { trip: 'T1' });
      const b = await feed(join(dir, 'b_gtfs.zip'), { trip: 'T2', extra: { 'shapes.txt': 'shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence\nSH,37.1,-122.1,1\n' } });
      await tracker.startRun('supply_2020', { model: 'pilates', year: 2020 }, () => tracker.logArtifact(a, { key: 'gtfs', direction: 'input' }));
      expect(await tracker.views.StopTimes.count()).toBe(2);
      expect(await tracker.views.Shapes.count()).toBe(0); // no feed has shapes.txt yet: the declared columns, no rows
      await tracker.startRun('supply_2030', { model: 'pilates', year: 2030 }, () => tracker.logArtifact(b, { key: 'gtfs', direction: 'input' }));

      const late = await tracker.views.StopTimes.query()
        .select(['trip_id', 'arrival_time', 'stop_sequence', 'consist_year', 'consist_run_id'])
        .where('arrival_time', '=', '25:10:00').orderBy('trip_id').execute();
      expect(late).toEqual([
        { trip_id: 'T1', arrival_time: '25:10:00', stop_sequence: 2, consist_year: 2020, consist_run_id: expect.stringContaining('supply_2020') },
        { trip_id: 'T2', arrival_time: '25:10:00', stop_sequence: 2, consist_year: 2030, consist_run_id: expect.stringContaining('supply_2030') },
      ]);
      const joined = await tracker.sql(
        `SELECT st.trip_id, s.stop_name, s.stop_lat, epoch(CAST(st.arrival_time AS INTERVAL))::INTEGER AS secs, st.platform_note
         FROM v_gtfs_stop_times AS st JOIN v_gtfs_stops AS s ON s.stop_id = st.stop_id AND s.consist_artifact_id = st.consist_artifact_id
         WHERE st.consist_year = 2030 ORDER BY st.stop_sequence`);
      expect(joined).toEqual([
        { trip_id: 'T2', stop_name: 'First', stop_lat: 37.1, secs: 89_400, platform_note: 'north' },
        { trip_id: 'T2', stop_name: 'Third', stop_lat: 37.3, secs: 90_600, platform_note: null }, // undeclared columns stay text
      ]);
      const [cal] = await tracker.sql(`SELECT typeof(start_date) AS t, CAST(end_date AS VARCHAR) AS d, monday FROM v_gtfs_calendar LIMIT 1`);
      expect(cal).toEqual({ t: 'DATE', d: '2024-12-31', monday: 1 });
      expect(await tracker.views.Stops.rows({ stop_id: 'S2', consist_year: 2020 })).toMatchObject([{ stop_name: 'Second', wheelchair_boarding: null }]);
      expect(await tracker.views.Shapes.count()).toBe(1); // the view reflects the feed logged after its first use
      expect(await tracker.views.FeedInfo.count()).toBe(0);
    } finally {
      await tracker.close();
    }
  });

  test('with user schemas too; a feed whose zip is gone is skipped with a warning; a corrupt one is FORMAT_CORRUPT', async () => {
    const dir = tempDir('gtfs-views-gone-');
    const warnings: string[] = [];
    const logger = { warn: (m: string) => warnings.push(m), info: () => undefined, debug: () => undefined };
    const tracker = await Tracker.open({ runDir: join(dir, 'runs'), schemas: { Person }, builtinSchemas: ['gtfs'], logger });
    try {
      const gone = await feed(join(dir, 'gone_gtfs.zip'), { trip: 'G1' });
      const kept = await feed(join(dir, 'kept_gtfs.zip'), { trip: 'K1' });
      await tracker.startRun('supply', { model: 'pilates' }, async () => {
        await tracker.logArtifact(gone, { key: 'gone', direction: 'input' });
        await tracker.logArtifact(kept, { key: 'kept', direction: 'input' });
      });
      await fs.rm(gone);
      expect(await tracker.views.Trips.rows()).toMatchObject([{ trip_id: 'K1', route_id: 'R1' }]);
      expect(await tracker.views.Person.count()).toBe(0); // typed user views sit next to the built-in ones
      expect(warnings).toEqual(expect.arrayContaining([expect.stringContaining('gone_gtfs.zip')]));
      // @ts-expect-error — `arrival` is not a column of GTFS stop_times
      tracker.views.StopTimes.query().select(['arrival']);

      const bad = await feed(join(dir, 'bad_gtfs.zip'), { trip: 'B1' }); // not extracted yet (a feed's extraction is keyed by its hash)
      const badArt = await tracker.startRun('supply_bad', { model: 'pilates' }, () => tracker.logArtifact(bad, { key: 'bad', direction: 'input' }));
      await fs.writeFile(bad, 'not a zip any more');
      await expect(tracker.views.Stops.count()).rejects.toMatchObject({ code: 'FORMAT_CORRUPT', details: { file: badArt.uri } });
      await fs.rm(bad); // gone again: skipped, the views work again
      expect(await tracker.views.Trips.count()).toBe(1);
    } finally {
      await tracker.close();
    }
  });

  test('an unknown builtinSchemas name is CONFIGURATION_INVALID before anything is created', async () => {
    const runDir = join(tempDir('gtfs-views-bad-'), 'runs');
    const err = await Tracker.open({ runDir, builtinSchemas: ['gtfs', 'netcdf' as never] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigurationError);
    expect(err).toMatchObject({ code: 'CONFIGURATION_INVALID', details: { option: 'builtinSchemas' } });
    expect(existsSync(runDir)).toBe(false);
  });
});

describe('views over OMX long tables and pandas tables (createView with format artifacts)', () => {
  let dir: string;
  let tracker: Tracker;
  beforeEach(async () => {
    dir = tempDir('member-views-');
    tracker = await Tracker.open({ runDir: join(dir, 'runs') });
  });
  afterEach(() => tracker.close());

  test('OMX skims as origin, destination, <matrix>… with lookup ids, 1-based without one; cached Parquet', async () => {
    const withLookup = await writeOmx(join(dir, 'skims_2020.omx'));
    const plain = join(dir, 'skims_2030.omx');
    await writeOmxFile(plain, { zones: 2, matrices: { time: new Float64Array([1, 2, 3, 4]) } });
    const skims2020 = await tracker.startRun('asim_2020', { model: 'activitysim', year: 2020 }, () => tracker.logArtifact(withLookup, { key: 'skims', direction: 'input' }));
    await tracker.startRun('asim_2030', { model: 'activitysim', year: 2030 }, () => tracker.logArtifact(plain, { key: 'skims', direction: 'input' }));

    const view = await tracker.createView('v_skims', 'skims');
    expect(await view.count()).toBe(16 + 4);
    expect(await tracker.sql('SELECT origin, destination, time, dist FROM v_skims WHERE consist_year = 2020 AND origin = 102 AND destination = 103'))
      .toEqual([{ origin: 102, destination: 103, time: 7, dist: 70 }]);
    expect(await tracker.sql('SELECT origin, destination, time, dist FROM v_skims WHERE consist_year = 2030 ORDER BY origin, destination'))
      .toEqual([[1, 1, 1], [1, 2, 2], [2, 1, 3], [2, 2, 4]].map(([o, d, t]) => ({ origin: o, destination: d, time: t, dist: null })));

    const cache = join(dir, 'runs', '.consist', 'cache', 'tables');
    const cached = await fs.readdir(cache);
    expect(cached.filter((f) => f.endsWith('.parquet'))).toHaveLength(2);
    const mtimes = await Promise.all(cached.map((f) => fs.stat(join(cache, f)).then((s) => s.mtimeMs)));
    const again = await tracker.createView('v_skims_time', 'skims', { matrices: ['time'], lookup: undefined });
    expect(await again.count()).toBe(20);
    expect(await Promise.all(cached.map((f) => fs.stat(join(cache, f)).then((s) => s.mtimeMs)))).toEqual(mtimes); // not rewritten

    // Ingested (hot) instead: the view reads that skim from hot.skims and no longer from its Parquet — never twice.
    const omx = await tracker.load<OmxFile>(skims2020);
    try {
      await tracker.ingest(skims2020, { data: omxToLongTable(omx, { lookup: 'zone_id' }) });
    } finally {
      omx.close();
    }
    expect(await view.count()).toBe(16 + 4);
    expect(await tracker.sql('SELECT time FROM v_skims WHERE consist_artifact_id = ? AND origin = 104 AND destination = 104', [skims2020.id]))
      .toEqual([{ time: 16 }]);
  });

  test('a pandas table member of HDF5 artifacts as a view (fixed and table formats)', async () => {
    await tracker.startRun('asim_base', { model: 'activitysim', year: 2020 }, () => tracker.logArtifact(PIPELINE_H5, { key: 'pipeline', direction: 'input' }));
    const hh = await tracker.createView('v_households', 'pipeline', { member: 'households/initialize_households' });
    expect(await hh.count()).toBe(50);
    const persons = await tracker.createView('v_persons', 'pipeline', { member: 'persons/initialize_households' });
    expect(await tracker.sql(`SELECT count(*)::INTEGER AS n, max(age)::INTEGER AS oldest, min(consist_year) AS y FROM v_persons WHERE ptype = 'worker'`))
      .toEqual([{ n: 50, oldest: expect.any(Number), y: 2020 }]);
    expect(await persons.count()).toBe(100);
  });

  test('bad input: unknown member / lookup / matrix are FORMAT_MEMBER_NOT_FOUND, bad options CONFIGURATION_INVALID; no view left behind', async () => {
    const skims = await writeOmx(join(dir, 'skims.omx'));
    await tracker.startRun('asim', { model: 'activitysim' }, async () => {
      await tracker.logArtifact(PIPELINE_H5, { key: 'pipeline', direction: 'input' });
      await tracker.logArtifact(skims, { key: 'skims', direction: 'input' });
    });
    const missing = await tracker.createView('v_nope', 'pipeline', { member: 'tours/final' }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(FormatError);
    expect(missing).toMatchObject({ code: 'FORMAT_MEMBER_NOT_FOUND' });
    await expect(tracker.createView('v_bad_lookup', 'skims', { lookup: 'taz' })).rejects.toMatchObject({ code: 'FORMAT_MEMBER_NOT_FOUND', details: { place: 'lookup/taz' } });
    await expect(tracker.createView('v_bad_matrix', 'skims', { matrices: ['toll'] })).rejects.toMatchObject({ code: 'FORMAT_MEMBER_NOT_FOUND' });
    await expect(tracker.createView('v_bad_opts', 'skims', { matrices: [] })).rejects.toMatchObject({ code: 'CONFIGURATION_INVALID' });
    await expect(tracker.createView('v_bad_opts', 'pipeline', { member: 3 as never })).rejects.toMatchObject({ code: 'CONFIGURATION_INVALID' });
    // The failed views were not registered: later queries still work, and nothing was cached for them.
    expect(await tracker.sql('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    const cache = join(dir, 'runs', '.consist', 'cache', 'tables');
    expect(existsSync(cache) ? (await fs.readdir(cache)).filter((f) => !f.endsWith('.parquet')) : []).toEqual([]);
  });
});
