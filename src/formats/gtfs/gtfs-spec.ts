/** Files every GTFS feed must have (plus one of `calendar.txt` / `calendar_dates.txt`). */
export const GTFS_REQUIRED = ['agency.txt', 'stops.txt', 'routes.txt', 'trips.txt', 'stop_times.txt'] as const;
/** At least one of these is required. */
export const GTFS_CALENDARS = ['calendar.txt', 'calendar_dates.txt'] as const;

/**
 * Numeric columns of the GTFS reference, cast from text after reading (everything else stays
 * text: times such as `25:10:00` are valid GTFS and break DuckDB's TIME sniffing,
 * reference/formats.md §4). @internal
 */
export const GTFS_NUMERIC: Readonly<Record<string, Readonly<Record<string, 'DOUBLE' | 'INTEGER'>>>> = {
  stops: { stop_lat: 'DOUBLE', stop_lon: 'DOUBLE', location_type: 'INTEGER', wheelchair_boarding: 'INTEGER' },
  routes: { route_type: 'INTEGER', route_sort_order: 'INTEGER' },
  trips: { direction_id: 'INTEGER', wheelchair_accessible: 'INTEGER', bikes_allowed: 'INTEGER' },
  stop_times: { stop_sequence: 'INTEGER', pickup_type: 'INTEGER', drop_off_type: 'INTEGER', shape_dist_traveled: 'DOUBLE', timepoint: 'INTEGER' },
  calendar: { monday: 'INTEGER', tuesday: 'INTEGER', wednesday: 'INTEGER', thursday: 'INTEGER', friday: 'INTEGER', saturday: 'INTEGER', sunday: 'INTEGER' },
  calendar_dates: { exception_type: 'INTEGER' },
  shapes: { shape_pt_lat: 'DOUBLE', shape_pt_lon: 'DOUBLE', shape_pt_sequence: 'INTEGER', shape_dist_traveled: 'DOUBLE' },
  frequencies: { headway_secs: 'INTEGER', exact_times: 'INTEGER' },
  transfers: { transfer_type: 'INTEGER', min_transfer_time: 'INTEGER' },
};

/** The required files `names` lacks (feed-relative names, e.g. `stops.txt`). @internal */
export function missingGtfsFiles(names: readonly string[]): string[] {
  const have = new Set(names.map((n) => n.split('/').pop()!));
  const missing: string[] = GTFS_REQUIRED.filter((f) => !have.has(f));
  if (!GTFS_CALENDARS.some((f) => have.has(f))) missing.push('calendar.txt|calendar_dates.txt');
  return missing;
}
