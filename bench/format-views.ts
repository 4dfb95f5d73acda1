import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { writeOmxFile } from '../src/formats/h5/omx-write';
import { Tracker } from '../src/tracker/tracker';
import { silentLogger } from '../src/util/logger';
import { reps, type Bench } from './context';
import { compare, timeOnce, timePair } from './harness';
import { rawConnection } from './seed';

const CSV = "header = true, all_varchar = true, delim = ',', quote = '\"', escape = '\"'";
const lit = (p: string) => `'${p.replace(/'/g, "''")}'`;

/** A feed with `rows` stop_times over 4000 stops, a third of them past midnight (`25:…`). */
async function writeFeed(file: string, rows: number): Promise<void> {
  const st = ['trip_id,arrival_time,departure_time,stop_id,stop_sequence'];
  for (let i = 0; i < rows; i++) {
    const h = 8 + (i % 18);
    st.push(`T${i >> 5},${h}:0${i % 6}:00,${h}:0${i % 6}:30,S${i % 4000},${i % 32}`);
  }
  const stops = ['stop_id,stop_name,stop_lat,stop_lon'];
  for (let s = 0; s < 4000; s++) stops.push(`S${s},Stop ${s % 50},37.${s},-122.${s}`);
  await fs.writeFile(file, zipSync({
    'agency.txt': strToU8('agency_id,agency_name,agency_url,agency_timezone\nA,A,https://a.example,UTC\n'),
    'stops.txt': strToU8(`${stops.join('\n')}\n`), 'routes.txt': strToU8('route_id,route_type\nR,3\n'),
    'trips.txt': strToU8('route_id,service_id,trip_id\nR,W,T0\n'), 'calendar.txt': strToU8('service_id,monday\nW,1\n'),
    'stop_times.txt': strToU8(`${st.join('\n')}\n`),
  }, { level: 1 }));
}

/**
 * Views over transport-model files (docs/views.md) against hand-written DuckDB SQL on the same
 * files: the built-in GTFS views (`v_gtfs_stop_times` ⋈ `v_gtfs_stops`, times as intervals) vs
 * `read_csv` of the extracted files (≤ 1.3×), and an OMX skim's long-table view vs `read_parquet`
 * of its cached Parquet (≤ 1.2×). Ours is `tracker.sql`, freshness check included. The one-off
 * OMX → Parquet materialisation time is logged.
 */
export const formatViewsBench: Bench = {
  name: 'format-views',
  async run(ctx) {
    const rows = ctx.quick ? 100_000 : 600_000;
    const zones = ctx.quick ? 700 : 1000; // below ~500 zones the per-query freshness check (~15 ms here) dominates the ratio
    const zip = path.join(ctx.workDir, 'feed_gtfs.zip');
    await writeFeed(zip, rows);
    const omxPath = path.join(ctx.workDir, 'skims.omx');
    await writeOmxFile(omxPath, { zones, matrices: {
      time: Float64Array.from({ length: zones * zones }, (_, i) => i % 97), dist: Float64Array.from({ length: zones * zones }, (_, i) => i % 13) } });
    const tracker = await Tracker.open({ runDir: path.join(ctx.workDir, 'runs'), builtinSchemas: ['gtfs'], logger: silentLogger, codeIdentity: 'class-source' });
    try {
      const [feed] = await tracker.startRun('supply', { year: 2030 }, async () => [
        await tracker.logArtifact(zip, { key: 'gtfs', direction: 'input' }),
        await tracker.logArtifact(omxPath, { key: 'skims', direction: 'input' }),
      ]);
      const built = await timeOnce(() => tracker.createView('v_skims', 'skims'));
      ctx.log(`format-views: OMX ${zones}x${zones} × 2 matrices → long-table Parquet in ${built.toFixed(0)} ms (once, then cached)`);
      const dir = path.join(tracker.runDir, '.consist', 'cache', 'gtfs', feed.hash!.slice('sha256:'.length));
      const cache = path.join(tracker.runDir, '.consist', 'cache', 'tables');
      const [parquet] = (await fs.readdir(cache)).filter((f) => f.endsWith('.parquet'));
      const gtfsSql = `SELECT s.stop_name, count(*)::INTEGER AS n FROM v_gtfs_stop_times AS st JOIN v_gtfs_stops AS s USING (stop_id)
        WHERE CAST(st.arrival_time AS INTERVAL) >= INTERVAL 24 HOURS GROUP BY 1 ORDER BY 1`;
      const gtfsFloor = `SELECT s.stop_name, count(*)::INTEGER AS n FROM read_csv(${lit(path.join(dir, 'stop_times.txt'))}, ${CSV}) AS st
        JOIN read_csv(${lit(path.join(dir, 'stops.txt'))}, ${CSV}) AS s USING (stop_id)
        WHERE CAST(st.arrival_time AS INTERVAL) >= INTERVAL 24 HOURS GROUP BY 1 ORDER BY 1`;
      const omxSql = 'SELECT avg(time) AS a, max(dist) AS d FROM v_skims WHERE origin < destination';
      const omxFloor = `SELECT avg(time) AS a, max(dist) AS d FROM read_parquet(${lit(path.join(cache, parquet))}) WHERE origin < destination`;
      const raw = await rawConnection(tracker.dbPath);
      try {
        const ours = JSON.stringify(await tracker.sql(gtfsSql));
        if (ours !== JSON.stringify((await raw.conn.runAndReadAll(gtfsFloor)).getRowObjectsJS())) throw new Error('GTFS view and floor disagree');
        const gtfs = await timePair(() => tracker.sql(gtfsSql), async () => (await raw.conn.runAndReadAll(gtfsFloor)).getRowObjectsJS(), reps(ctx.sizes, ctx.sizes['formatViews.reps']));
        const omx = await timePair(() => tracker.sql(omxSql), async () => (await raw.conn.runAndReadAll(omxFloor)).getRowObjectsJS(), reps(ctx.sizes, ctx.sizes['formatViews.reps']));
        return [
          compare(`format views GTFS stop_times ${rows.toLocaleString('en-US')} ⋈ stops`, gtfs.ours, gtfs.floor, '<= 1.3',
            { note: 'floor: read_csv of the extracted files, same casts' }),
          compare(`format views OMX ${zones}x${zones} long table`, omx.ours, omx.floor, '<= 1.2',
            { note: 'floor: read_parquet of the cached long table' }),
        ];
      } finally {
        await raw.release();
      }
    } finally {
      await tracker.close();
    }
  },
};
