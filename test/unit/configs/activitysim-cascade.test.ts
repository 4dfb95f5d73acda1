import { loadActivitySim } from '../../../src/configs/activitysim-config';
import { tmpWorkspace } from '../../helpers/workspace';

describe('ActivitySim settings cascade (read_settings_file semantics)', () => {
  const ws = tmpWorkspace('consist-cascade-');
  afterAll(() => ws.cleanup());

  it('inherit_settings: <file> backfills from that file; include_settings reads another file instead', () => {
    ws.file('a/configs/trip_mode_choice.yaml', 'inherit_settings: tour_mode_choice.yaml\nSPEC: trip.csv\n');
    ws.file('a/configs/tour_mode_choice.yaml', 'SPEC: tour.csv\nNESTS: {name: root}\nCONSTANTS: {walk_speed: 3}\n');
    ws.file('a/configs/alias.yaml', 'include_settings: tour_mode_choice.yaml\n');
    ws.file('a/configs_local/tour_mode_choice.yaml', 'inherit_settings: true\nCONSTANTS: {walk_speed: 4}\n');
    const r = loadActivitySim([ws.path('a/configs_local'), ws.path('a/configs')]);
    expect(r.value.trip_mode_choice).toEqual({ SPEC: 'trip.csv', NESTS: { name: 'root' }, CONSTANTS: { walk_speed: 4 } });
    expect(r.value.alias).toEqual({ SPEC: 'tour.csv', NESTS: { name: 'root' }, CONSTANTS: { walk_speed: 4 } });
    expect(r.positions.get('trip_mode_choice.CONSTANTS.walk_speed')).toEqual({ file: 'configs_local/tour_mode_choice.yaml', line: 2, key: 'CONSTANTS.walk_speed' });
    expect(r.positions.get('trip_mode_choice.NESTS')).toMatchObject({ file: 'configs/tour_mode_choice.yaml', line: 2 });
    expect(r.fileNames).toEqual(['configs/alias.yaml', 'configs_local/tour_mode_choice.yaml', 'configs/tour_mode_choice.yaml', 'configs/trip_mode_choice.yaml']);
  });

  it('an inheritance loop is a CONFIG_SYNTAX error naming the file', () => {
    ws.file('b/configs/x.yaml', 'inherit_settings: y.yaml\n');
    ws.file('b/configs/y.yaml', 'inherit_settings: x.yaml\n');
    expect(() => loadActivitySim([ws.path('b/configs')])).toThrow(expect.objectContaining({ code: 'CONFIG_SYNTAX', details: expect.objectContaining({ file: 'configs/x.yaml' }) }));
  });
});

describe('ActivitySim folder labels', () => {
  const ws = tmpWorkspace('consist-labels-');
  afterAll(() => ws.cleanup());

  it('folders with the same name are told apart by their parent', () => {
    ws.file('region/a/configs/settings.yaml', 'inherit_settings: true\nx: 1\n');
    ws.file('region/b/configs/settings.yaml', 'y: 2\n');
    const r = loadActivitySim([ws.path('region/a/configs'), ws.path('region/b/configs')]);
    expect(r.fileNames).toEqual(['a/configs/settings.yaml', 'b/configs/settings.yaml']);
    expect(r.value.settings).toEqual({ x: 1, y: 2 });
  });

  it('a YAML file whose top level is a list is taken as is', () => {
    ws.file('lists/configs/columns.yaml', '- household_id\n- income\n');
    const r = loadActivitySim([ws.path('lists/configs')]);
    expect(r.value.columns).toEqual(['household_id', 'income']);
    expect(r.positions.get('columns[1]')).toMatchObject({ file: 'configs/columns.yaml', line: 2 });
  });
});
