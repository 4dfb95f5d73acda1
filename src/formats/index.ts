export { sniffFormat, isHandleDriver, FORMAT_DRIVERS, type FormatDriver } from './detect';
export { profileFormat, formatContentHash } from './profile';
export { FormatLoader, type FormatHandle } from './format-loader';
export { OmxFile, type OmxMatrixInfo, type MatrixReadOptions } from './h5/omx-file';
export { H5Store, type H5DatasetInfo } from './h5/h5-store';
export type { PandasTableInfo } from './h5/pandas';
export type { NumericArray } from './h5/h5-dtype';
export { ZarrStore } from './zarr/zarr-store';
export { ZarrArray, type ZarrSlice, type ZarrReadOptions } from './zarr/zarr-array';
export type { ZarrArrayMeta } from './zarr/zarr-meta';
export { GtfsFeed, type GtfsFileInfo } from './gtfs/gtfs-feed';
export type { ZipLimits } from './gtfs/zip-extract';
export { omxToLongTable } from './h5/omx-long';
export { writeOmxFile, type OmxWriteSpec } from './h5/omx-write';
export {
  GtfsAgency, GtfsStop, GtfsRoute, GtfsTrip, GtfsStopTime, GtfsCalendar, GtfsCalendarDate, GtfsShape, GtfsFrequency,
  GtfsTransfer, GtfsFeedInfo, GTFS_SCHEMAS,
} from './gtfs/gtfs-schemas';
export { BUILTIN_SCHEMAS, type BuiltinSchemaSet, type WithBuiltinSchemas } from './builtin-schemas';
