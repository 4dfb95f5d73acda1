import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { zipSync, strToU8 } from 'fflate';
import { DataEngine } from '../src/engine/data-engine';
import { extractGtfs, GtfsFeed } from '../src/formats/gtfs/gtfs-feed';
import { h5lib } from '../src/formats/h5/h5-lib';
import { OmxFile } from '../src/formats/h5/omx-file';
import { writeOmxFile } from '../src/formats/h5/omx-write';
import { reps, type Bench } from './context';
import { compare, fullGc, timePair } from './harness';
import { pregrowWasmHeap } from './floors';

/**
 * Format drivers against their floors: an OMX 2000×2000 float64 matrix via `OmxFile.matrix` vs a raw
 * h5wasm `.value` read (≤ 1.2×), and a GTFS feed's stop_times via `GtfsFeed.table` vs DuckDB
 * `read_csv` of the extracted file (≤ 1.3×).
 */
export const formatsBench: Bench = {
  name: 'formats',
  async run(ctx) {
    const zones = 2000; // also with --quick: at 500 zones (1.7 ms a load) ours' ≈ 0.3 ms of opening checks alone read 1.2×
    const omxPath = path.join(ctx.workDir, 'skims.omx');
    await writeOmxFile(omxPath, { zones, matrices: { time: Float64Array.from({ length: zones * zones }, (_, i) => i % 997) } });
    const h5 = await h5lib();
    pregrowWasmHeap(h5.Module, 8 * zones * zones * 8);
    const omx = await timePair(
      async () => { const f = await OmxFile.open(omxPath); try { return f.matrix('time').length; } finally { f.close(); } },
      () => { const f = new h5.File(omxPath, 'r'); try { return ((f.get('data/time') as { value: Float64Array }).value).length; } finally { f.close(); } },
      { ...reps(ctx.sizes, ctx.sizes['formats.reps']), settle: fullGc },
    );
    const rows = ctx.quick ? 100_000 : 600_000;
    const lines = ['trip_id,arrival_time,departure_time,stop_id,stop_sequence'];
    for (let i = 0; i < rows; i++) {
      const h = 5 + (i % 21);
      lines.push(`T${i >> 5},${h}:0${i % 6}:00,${h}:0${i % 6}:30,S${i % 4000},${i % 32}`);
    }
    const feed: Record<string, Uint8Array> = {
      'agency.txt': strToU8('agency_id,agency_name,agency_url,agency_timezone\nA,A,https://a.example,UTC\n'),
      'stops.txt': strToU8('stop_id,stop_name,stop_lat,stop_lon\nS1,One,1,2\n'),
      'routes.txt': strToU8('route_id,route_type\nR,3\n'), 'trips.txt': strToU8('route_id,service_id,trip_id\nR,W,T0\n'),
      'calendar.txt': strToU8('service_id,monday\nW,1\n'), 'stop_times.txt': strToU8(`${lines.join('\n')}\n`),
    };
    const zip = path.join(ctx.workDir, 'gtfs.zip');
    await fs.writeFile(zip, zipSync(feed, { level: 1 }));
    const engine = new DataEngine();
    const dir = await extractGtfs(zip, path.join(ctx.workDir, 'cache'), zip);
    const opened = await GtfsFeed.open(dir, engine, zip);
    const duck = await (await DuckDBInstance.create(':memory:')).connect();
    const file = path.join(dir, 'stop_times.txt').replace(/'/g, "''");
    const gtfs = await timePair(
      () => opened.table('stop_times'),
      async () => (await duck.runAndReadAll(`SELECT * FROM read_csv('${file}', header=true, all_varchar=true)`)).getColumns(),
      reps(ctx.sizes),
    );
    duck.closeSync();
    await engine.close();
    return [
      compare(`formats OMX ${zones}x${zones} f64 matrix load`, omx.ours, omx.floor, '<= 1.2',
        { note: 'floor: raw h5wasm File + dataset.value' }),
      compare(`formats GTFS stop_times ${rows} rows → Arrow`, gtfs.ours, gtfs.floor, '<= 1.3',
        { note: 'floor: DuckDB read_csv(all_varchar) of the extracted file, getColumns (no Arrow)' }),
    ];
  },
};
