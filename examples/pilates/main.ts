/**
 * PILATES-style transport-model data in one script: logs an OpenMatrix skim, an ActivitySim pandas
 * pipeline store (HDF5) and a GTFS feed as inputs of a run, then queries them — matrix metadata and
 * values, pandas tables as Arrow, GTFS tables (times past 24:00 kept), the recorded metadata via
 * SQL, and SQL views over the feed (built-in GTFS schemas) and the skim (a long table). (The ActivitySim config-folder part lives in its own file next to this one.)
 * Run with `npx ts-node examples/pilates/main.ts [runDir] [pipeline.h5]`.
 */
import 'reflect-metadata';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { omxToLongTable, Tracker, writeOmxFile, type GtfsFeed, type H5Store, type OmxFile } from '../../src';

/** What the example found; the example's test checks it. */
export interface PilatesFacts {
  drivers: string[];
  matrices: string[];
  meanTime: number;
  longRows: number;
  workers: number;
  stopTimes: number;
  lateTrips: number;
  recordedFormats: string[];
  /** Stop names of arrivals after midnight, through the built-in GTFS views (`v_gtfs_stop_times` ⋈ `v_gtfs_stops`). */
  lateStops: string[];
  /** Zone pairs over 10 minutes, through the OMX skim as a long-table view (`v_skims`). */
  slowPairs: number;
}

async function writeInputs(dir: string): Promise<{ skims: string; gtfs: string }> {
  const zones = 3;
  const time = Float64Array.from({ length: zones * zones }, (_, i) => 5 + 5 * Math.abs(Math.floor(i / zones) - (i % zones)));
  const skims = path.join(dir, 'skims.omx');
  await writeOmxFile(skims, { zones, matrices: { SOV_TIME: time, DIST: time.map((t) => t / 2) },
    lookups: { zone_id: Int32Array.from([1, 2, 3]) }, attributes: { SOV_TIME: { units: 'minutes' } } });
  const feed: Record<string, string> = {
    'agency.txt': 'agency_id,agency_name,agency_url,agency_timezone\nBART,BART,https://bart.example,America/Los_Angeles\n',
    'stops.txt': 'stop_id,stop_name,stop_lat,stop_lon\nEMB,Embarcadero,37.793,-122.397\nMONT,Montgomery,37.789,-122.401\n',
    'routes.txt': 'route_id,agency_id,route_short_name,route_type\nY,BART,Yellow,1\n',
    'trips.txt': 'route_id,service_id,trip_id\nY,WKDY,Y1\nY,WKDY,Y2\n',
    'stop_times.txt': 'trip_id,arrival_time,departure_time,stop_id,stop_sequence\nY1,23:58:00,23:58:00,EMB,1\nY1,24:01:00,24:01:00,MONT,2\nY2,08:00:00,08:00:00,EMB,1\n',
    'calendar.txt': 'service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nWKDY,1,1,1,1,1,0,0,20240101,20241231\n',
  };
  const gtfs = path.join(dir, 'bart_gtfs.zip');
  await fs.writeFile(gtfs, zipSync(Object.fromEntries(Object.entries(feed).map(([k, v]) => [k, strToU8(v)]))));
  return { skims, gtfs };
}

/** Logs the three inputs of a 2020 ActivitySim run and queries them. */
export async function main(runDir: string, log: (s: string) => void = console.log, pipelineH5 = defaultPipeline()): Promise<PilatesFacts> {
  const inputs = path.join(runDir, '..', 'pilates-inputs');
  await fs.mkdir(inputs, { recursive: true });
  const { skims, gtfs } = await writeInputs(inputs);
  const tracker = await Tracker.open({ runDir, builtinSchemas: ['gtfs'] }); // tracker.views.Stops, StopTimes…
  try {
    const arts = await tracker.startRun('activitysim_2020', { model: 'activitysim', year: 2020 }, async () => [
      await tracker.logArtifact(skims, { key: 'skims', direction: 'input' }),
      await tracker.logArtifact(pipelineH5, { key: 'pipeline', direction: 'input' }),
      await tracker.logArtifact(gtfs, { key: 'gtfs', direction: 'input' }),
    ]);
    const omx = await tracker.load<OmxFile>(arts[0]);
    let meanTime = 0;
    let longRows = 0;
    try {
      const time = omx.matrix('SOV_TIME') as Float64Array;
      meanTime = time.reduce((a, b) => a + b, 0) / time.length;
      longRows = omxToLongTable(omx, { lookup: 'zone_id' }).numRows; // origin, destination, DIST, SOV_TIME
    } finally {
      omx.close();
    }
    const store = await tracker.load<H5Store>(arts[1]);
    let workers = 0;
    try {
      const persons = await store.table('persons/initialize_households');
      workers = (persons.getChild('ptype')!.toArray() as string[]).filter((p) => p === 'worker').length;
    } finally {
      store.close();
    }
    const feed = await tracker.load<GtfsFeed>(arts[2]);
    const stopTimes = await feed.table('stop_times');
    const lateTrips = (stopTimes.getChild('arrival_time')!.toArray() as string[]).filter((t) => t >= '24:00:00').length;
    const recorded = await tracker.sql(
      "SELECT key, json_extract_string(meta, '$.format.kind') AS kind FROM artifact WHERE json_extract_string(meta, '$.format.kind') IS NOT NULL ORDER BY key");
    // Views: the GTFS feed through the built-in schemas, the skim as origin, destination, DIST, SOV_TIME.
    const late = await tracker.sql(`SELECT s.stop_name FROM v_gtfs_stop_times AS st JOIN v_gtfs_stops AS s USING (stop_id)
      WHERE CAST(st.arrival_time AS INTERVAL) >= INTERVAL 24 HOURS ORDER BY s.stop_name`);
    await tracker.createView('v_skims', 'skims', { lookup: 'zone_id' }); // OMX → Parquet once, cached by content hash
    const [slow] = await tracker.sql('SELECT count(*)::INTEGER AS n FROM v_skims WHERE SOV_TIME > 10');
    log(`skims: ${omx.matrices.join(', ')} (mean SOV_TIME ${meanTime.toFixed(1)} min); workers: ${workers}; ` +
      `stop_times: ${stopTimes.numRows} (${lateTrips} after midnight)`);
    return {
      drivers: arts.map((a) => a.driver), matrices: omx.matrices, meanTime, longRows, workers, stopTimes: stopTimes.numRows, lateTrips,
      recordedFormats: recorded.map((r) => `${String(r.key)}:${String(r.kind)}`),
      lateStops: late.map((r) => String(r.stop_name)), slowPairs: Number(slow.n),
    };
  } finally {
    await tracker.close();
  }
}

function defaultPipeline(): string {
  return path.resolve(process.cwd(), 'test', 'fixtures', 'formats', 'pipeline.h5');
}

if (require.main === module) {
  main(process.argv[2] ?? 'pilates-runs', console.log, process.argv[3]).catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
