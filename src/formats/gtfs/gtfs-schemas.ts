import { Column } from '../../decorators/column';
import { Table } from '../../decorators/table';

// Column types follow the GTFS reference (gtfs.org/schedule/reference). Times (`arrival_time`,
// `start_time`…) stay VARCHAR: GTFS allows `25:10:00` for trips past midnight, which is not a TIME
// (cast to INTERVAL for arithmetic: `CAST(arrival_time AS INTERVAL)`). Dates (`YYYYMMDD`) are DATE.
const text = () => Column({ type: 'VARCHAR' });
const int = () => Column({ type: 'INTEGER' });
const real = () => Column({ type: 'DOUBLE' });
const date = () => Column({ type: 'DATE' });

/** GTFS `agency.txt` (built-in schema `builtinSchemas: ['gtfs']` → `tracker.views.Agency`, view `v_gtfs_agency`). */
@Table({ name: 'gtfs_agency' })
export class GtfsAgency {
  @text() agency_id!: string | null;
  @text() agency_name!: string;
  @text() agency_url!: string;
  @text() agency_timezone!: string;
  @text() agency_lang!: string | null;
  @text() agency_phone!: string | null;
  @text() agency_fare_url!: string | null;
  @text() agency_email!: string | null;
}

/** GTFS `stops.txt` (`tracker.views.Stops`, view `v_gtfs_stops`). */
@Table({ name: 'gtfs_stops' })
export class GtfsStop {
  @text() stop_id!: string;
  @text() stop_code!: string | null;
  @text() stop_name!: string | null;
  @text() stop_desc!: string | null;
  @real() stop_lat!: number | null;
  @real() stop_lon!: number | null;
  @text() zone_id!: string | null;
  @text() stop_url!: string | null;
  @int() location_type!: number | null;
  @text() parent_station!: string | null;
  @text() stop_timezone!: string | null;
  @int() wheelchair_boarding!: number | null;
  @text() level_id!: string | null;
  @text() platform_code!: string | null;
}

/** GTFS `routes.txt` (`tracker.views.Routes`, view `v_gtfs_routes`). */
@Table({ name: 'gtfs_routes' })
export class GtfsRoute {
  @text() route_id!: string;
  @text() agency_id!: string | null;
  @text() route_short_name!: string | null;
  @text() route_long_name!: string | null;
  @text() route_desc!: string | null;
  @int() route_type!: number;
  @text() route_url!: string | null;
  @text() route_color!: string | null;
  @text() route_text_color!: string | null;
  @int() route_sort_order!: number | null;
  @int() continuous_pickup!: number | null;
  @int() continuous_drop_off!: number | null;
}

/** GTFS `trips.txt` (`tracker.views.Trips`, view `v_gtfs_trips`). */
@Table({ name: 'gtfs_trips' })
export class GtfsTrip {
  @text() route_id!: string;
  @text() service_id!: string;
  @text() trip_id!: string;
  @text() trip_headsign!: string | null;
  @text() trip_short_name!: string | null;
  @int() direction_id!: number | null;
  @text() block_id!: string | null;
  @text() shape_id!: string | null;
  @int() wheelchair_accessible!: number | null;
  @int() bikes_allowed!: number | null;
}

/** GTFS `stop_times.txt` (`tracker.views.StopTimes`, view `v_gtfs_stop_times`); times are text (`25:10:00`). */
@Table({ name: 'gtfs_stop_times' })
export class GtfsStopTime {
  @text() trip_id!: string;
  @text() arrival_time!: string | null;
  @text() departure_time!: string | null;
  @text() stop_id!: string;
  @int() stop_sequence!: number;
  @text() stop_headsign!: string | null;
  @int() pickup_type!: number | null;
  @int() drop_off_type!: number | null;
  @int() continuous_pickup!: number | null;
  @int() continuous_drop_off!: number | null;
  @real() shape_dist_traveled!: number | null;
  @int() timepoint!: number | null;
}

/** GTFS `calendar.txt` (`tracker.views.Calendar`, view `v_gtfs_calendar`). */
@Table({ name: 'gtfs_calendar' })
export class GtfsCalendar {
  @text() service_id!: string;
  @int() monday!: number;
  @int() tuesday!: number;
  @int() wednesday!: number;
  @int() thursday!: number;
  @int() friday!: number;
  @int() saturday!: number;
  @int() sunday!: number;
  @date() start_date!: Date;
  @date() end_date!: Date;
}

/** GTFS `calendar_dates.txt` (`tracker.views.CalendarDates`, view `v_gtfs_calendar_dates`). */
@Table({ name: 'gtfs_calendar_dates' })
export class GtfsCalendarDate {
  @text() service_id!: string;
  @date() date!: Date;
  @int() exception_type!: number;
}

/** GTFS `shapes.txt` (`tracker.views.Shapes`, view `v_gtfs_shapes`). */
@Table({ name: 'gtfs_shapes' })
export class GtfsShape {
  @text() shape_id!: string;
  @real() shape_pt_lat!: number;
  @real() shape_pt_lon!: number;
  @int() shape_pt_sequence!: number;
  @real() shape_dist_traveled!: number | null;
}

/** GTFS `frequencies.txt` (`tracker.views.Frequencies`, view `v_gtfs_frequencies`); times are text. */
@Table({ name: 'gtfs_frequencies' })
export class GtfsFrequency {
  @text() trip_id!: string;
  @text() start_time!: string;
  @text() end_time!: string;
  @int() headway_secs!: number;
  @int() exact_times!: number | null;
}

/** GTFS `transfers.txt` (`tracker.views.Transfers`, view `v_gtfs_transfers`). */
@Table({ name: 'gtfs_transfers' })
export class GtfsTransfer {
  @text() from_stop_id!: string | null;
  @text() to_stop_id!: string | null;
  @text() from_route_id!: string | null;
  @text() to_route_id!: string | null;
  @text() from_trip_id!: string | null;
  @text() to_trip_id!: string | null;
  @int() transfer_type!: number;
  @int() min_transfer_time!: number | null;
}

/** GTFS `feed_info.txt` (`tracker.views.FeedInfo`, view `v_gtfs_feed_info`). */
@Table({ name: 'gtfs_feed_info' })
export class GtfsFeedInfo {
  @text() feed_publisher_name!: string;
  @text() feed_publisher_url!: string;
  @text() feed_lang!: string;
  @text() default_lang!: string | null;
  @date() feed_start_date!: Date | null;
  @date() feed_end_date!: Date | null;
  @text() feed_version!: string | null;
  @text() feed_contact_email!: string | null;
  @text() feed_contact_url!: string | null;
}

/** The built-in GTFS schemas by view property (`tracker.views.StopTimes`…), in `builtinSchemas: ['gtfs']`. */
export const GTFS_SCHEMAS = Object.freeze({
  Agency: GtfsAgency,
  Stops: GtfsStop,
  Routes: GtfsRoute,
  Trips: GtfsTrip,
  StopTimes: GtfsStopTime,
  Calendar: GtfsCalendar,
  CalendarDates: GtfsCalendarDate,
  Shapes: GtfsShape,
  Frequencies: GtfsFrequency,
  Transfers: GtfsTransfer,
  FeedInfo: GtfsFeedInfo,
});

const MEMBERS = new Map<Function, string>([
  [GtfsAgency, 'agency'], [GtfsStop, 'stops'], [GtfsRoute, 'routes'], [GtfsTrip, 'trips'], [GtfsStopTime, 'stop_times'],
  [GtfsCalendar, 'calendar'], [GtfsCalendarDate, 'calendar_dates'], [GtfsShape, 'shapes'], [GtfsFrequency, 'frequencies'],
  [GtfsTransfer, 'transfers'], [GtfsFeedInfo, 'feed_info'],
]);

/**
 * The feed member (`stop_times`, read from `stop_times.txt`) a built-in GTFS schema class views,
 * or undefined for any other class. @internal
 */
export function gtfsMemberOf(schema: Function): string | undefined {
  return MEMBERS.get(schema);
}
