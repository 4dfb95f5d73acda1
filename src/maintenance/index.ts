export { doctor } from './doctor';
export type { DoctorFixes, DoctorOptions, DoctorReport, MissingArtifactFile, StuckRun } from './doctor-report';
export { PROCESS_DIED } from './doctor-fix';
export { rebuild, type RebuildOptions, type RebuildReport } from './rebuild';
export { compact, type CompactOptions, type CompactReport } from './compact';
export { purge, type PurgeOptions } from './purge';
export type { PurgePlan } from './purge-plan';

export type { MaintenanceOptions } from './maintenance-options';
export type { SnapshotProblem } from './snapshot-scan';
