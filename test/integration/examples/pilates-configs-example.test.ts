import { main } from '../../../examples/pilates/configs';
import { tmpWorkspace } from '../../helpers/workspace';

describe('examples/pilates/configs', () => {
  it('hits after a comment edit, names key/file/line after a value edit, shows overrides', async () => {
    const ws = tmpWorkspace('consist-pilates-configs-');
    try {
      const lines = await main(ws.dir, () => undefined);
      expect(lines.map((l) => l.replace(/^.{30} /, ''))).toEqual([
        'miss: no_similar_prior_run',
        'hit',
        'miss: configs/settings.yaml:5 households_sample_size 100 → 200',
        'miss: (override) settings.households_sample_size 200 → 1000',
        'miss: no_similar_prior_run',
        'miss: common/akka.conf:1 akka.loglevel "INFO" → "DEBUG"',
      ]);
    } finally {
      ws.cleanup();
    }
  });
});
