import { join } from 'node:path';
import { main } from '../../../examples/pilates/main';
import { tmpWorkspace } from '../../helpers/workspace';

describe('examples/pilates/main.ts', () => {
  it('logs an OMX skim, a pandas pipeline store and a GTFS feed, and queries them', async () => {
    const ws = tmpWorkspace();
    const lines: string[] = [];
    try {
      const facts = await main(ws.path('runs'), (s) => lines.push(s), join(__dirname, '..', '..', 'fixtures', 'formats', 'pipeline.h5'));
      expect(facts).toEqual({
        drivers: ['omx', 'h5', 'gtfs'], matrices: ['DIST', 'SOV_TIME'], meanTime: expect.closeTo(9.444, 2), longRows: 9,
        workers: 50, stopTimes: 3, lateTrips: 1, recordedFormats: ['gtfs:gtfs', 'pipeline:h5', 'skims:omx'],
        lateStops: ['Montgomery'], slowPairs: 2,
      });
      expect(lines[0]).toContain('workers: 50');
    } finally {
      ws.cleanup();
    }
  });
});
