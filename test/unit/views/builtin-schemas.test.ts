import 'reflect-metadata';
import { builtinSchemaClasses } from '../../../src/formats/builtin-schemas';
import { gtfsMemberOf } from '../../../src/formats/gtfs/gtfs-schemas';
import { GTFS_REQUIRED } from '../../../src/formats/gtfs/gtfs-spec';
import { compileTable } from '../../../src/metadata/compile-table';
import { GTFS_SCHEMAS, type Tracker, type View, type WithBuiltinSchemas } from '../../../src/index';

describe('built-in schema sets', () => {
  test("'gtfs' gives one @Table per GTFS file, named gtfs_<file>, times as text and dates as DATE", () => {
    const classes = builtinSchemaClasses(['gtfs']);
    expect(Object.keys(classes)).toEqual(['Agency', 'Stops', 'Routes', 'Trips', 'StopTimes', 'Calendar', 'CalendarDates', 'Shapes',
      'Frequencies', 'Transfers', 'FeedInfo']);
    for (const cls of Object.values(classes)) expect(compileTable(cls).name).toBe(`gtfs_${gtfsMemberOf(cls)}`);
    const members = Object.values(classes).map((c) => `${gtfsMemberOf(c)}.txt`);
    expect(members).toEqual(expect.arrayContaining([...GTFS_REQUIRED]));
    const types = Object.fromEntries(compileTable(GTFS_SCHEMAS.StopTimes).columns.map((c) => [c.name, c.duckType]));
    expect(types).toMatchObject({ arrival_time: 'VARCHAR', departure_time: 'VARCHAR', stop_sequence: 'INTEGER', shape_dist_traveled: 'DOUBLE' });
    expect(compileTable(GTFS_SCHEMAS.Calendar).columns.find((c) => c.name === 'start_date')?.duckType).toBe('DATE');
    expect(gtfsMemberOf(class NotGtfs {})).toBeUndefined();
    expect(builtinSchemaClasses(undefined)).toEqual({});
  });

  test.each([[['nope']], ['gtfs'], [[1]], [null]])('builtinSchemas %j is CONFIGURATION_INVALID', (value) => {
    expect(() => builtinSchemaClasses(value)).toThrow(expect.objectContaining({ code: 'CONFIGURATION_INVALID', details: expect.objectContaining({ option: 'builtinSchemas' }) }));
  });

  test('types: built-ins alone, or next to typed user schemas', () => {
    class Person { age!: number }
    type Alone = Tracker<WithBuiltinSchemas<Record<string, Function>, 'gtfs'>>['views'];
    type Both = Tracker<WithBuiltinSchemas<{ Person: typeof Person }, 'gtfs'>>['views'];
    const stops: Alone['Stops'] extends View<InstanceType<typeof GTFS_SCHEMAS.Stops>> ? true : false = true;
    const person: Both['Person'] extends View<Person> ? true : false = true;
    const times: Both['StopTimes'] extends View<InstanceType<typeof GTFS_SCHEMAS.StopTimes>> ? true : false = true;
    expect([stops, person, times]).toEqual([true, true, true]);
  });
});
