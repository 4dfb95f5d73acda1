/**
 * consist-ts — provenance, caching and data virtualization for scientific simulation workflows.
 * Everything public is exported here (API.md).
 */
import 'reflect-metadata';

export { Tracker } from './tracker/tracker';
export { registerConsist } from './tracker/register-consist';
export type { TrackerOptions, CodeIdentityMode, ParquetCompression } from './recording/tracker-options';
export type { OpenLineageOptions } from './recording/openlineage-emitter';
export type { StartRunOptions } from './recording/run-lifecycle';
export type { RunMetadataOptions } from './recording/run-options';
export type { FindRunsOptions, LineageNode, RunArtifacts } from './recording/run-queries';
export type { ArtifactLookup, FindArtifactsOptions } from './recording/artifact-lookup';
export type { DiffRunsOptions, RunDiff, RunValueChange } from './recording/run-diff';
export type { ArtifactFacetParser, ArtifactFacetParsers } from './artifacts/facet-parsers';
export { ArtifactStore, type LogArtifactOptions, type HashingMode } from './artifacts/artifact-store';
export type { Mounts } from './artifacts/uri';
export type { DbLockMode } from './provenance/database';
export type { Logger } from './util/logger';
export { consoleLogger, silentLogger } from './util/logger';

export * from './model';
export * from './errors';

export { Step } from './decorators/step';
export { Input, type InputOptions } from './decorators/input';
export { Scenario } from './decorators/scenario';
export { CouplerSchema, Slot } from './decorators/coupler-schema';
export type { StepOptions, OutputSpec, InputBinding } from './metadata/step-metadata';
export type { ScenarioOptions } from './metadata/scenario-metadata';
export type { SlotOptions, CouplerSchemaOptions } from './metadata/coupler-metadata';
export { compileStep, type StepDefinition } from './metadata/compile-step';
export { isStepClass, getStepMetadata } from './metadata/step-metadata';

export { StepBase } from './runtime/step-base';
export { StepContext, type LogTableOptions, type LogOutputOptions, type CaptureOptions, type TableLike } from './runtime/step-context';
export { ScenarioBase } from './runtime/scenario-base';
export { ScenarioContext, type TraceOptions, type LogArtifactsOptions } from './runtime/scenario-context';
export type { ExternalOutputSpec } from './runtime/output-facets';
export type { ScenarioResult } from './runtime/scenario-runner';
export type {
  RunResult, RunStepOptions, FunctionStepOptions, CacheMode, CacheHydration, InputRef, StepOutputs, StepConfig,
} from './runtime/run-step-options';
export { Coupler, type TypedCoupler } from './coupler/coupler';
export type { CacheMissExplanation } from './cache/miss-explanation';
export type { IdentityRecord } from './identity';

export { Table } from './decorators/table';
export { Column } from './decorators/column';
export type { TableOptions, ColumnOptions } from './metadata/table-metadata';
export { isTableClass, getTableMetadata } from './metadata/table-metadata';
export { compileTable, type TableDefinition, type ColumnDefinition } from './metadata/compile-table';
export { View, type ViewRow, type ViewQuery, type SystemColumns } from './views/view';
export { ViewFactory, type ViewsOf } from './views/view-factory';
export type { GroupedViewOptions } from './views/grouped-options';
export type { PivotFacetsOptions, FacetValueColumn } from './views/pivot-facets';
export { FacetPivotView } from './views/facet-pivot-view';
export { parseFacetPredicate, type FacetPredicate } from './views/facet-predicate';
export type { ProvenanceTables } from './views/provenance-tables';
export type { MemberViewOptions } from './views/member-view-source';
export { Materializer, type IngestOptions, type IngestResult, type IngestData, type DbFallback } from './materialize/materializer';
export { SchemaRegistry } from './materialize/schema-registry';
export type { ExportSchemaOptions, StoredSchema } from './materialize/schema-export';

export type { RunCommandOptions, ExternalStepOptions } from './runtime/command-step';
export type { RunContainerOptions, ExecutorStepOptions } from './runtime/container-step';
export type { ScenarioFunctionStep } from './runtime/scenario-inputs';
export type { HydrateRunOutputsOptions } from './cache/output-layout';
export {
  type ContainerBackend, type ContainerBackendName, type ContainerSpec, type ContainerRunResult, type ContainerIdentity,
  CONTAINER_BACKEND_NAMES, containerIdentity,
} from './containers/backend';
export { createBackend, isContainerBackendName, type BackendOptionsByName } from './containers/backends';
export { DockerBackend, type DockerBackendOptions } from './containers/docker-backend';
export { PodmanBackend, type PodmanBackendOptions } from './containers/podman-backend';
export { ApptainerBackend, type ApptainerBackendOptions } from './containers/apptainer-backend';
export {
  executeCommand, commandIdentity, resolveExecutable, type CommandEnv, type CommandIdentity, type CommandResult,
  type ExecuteCommandOptions,
} from './containers/command-executor';
export { doctor, rebuild, compact, purge, PROCESS_DIED } from './maintenance';
export type {
  DoctorOptions, DoctorReport, RebuildOptions, RebuildReport, CompactOptions, CompactReport, PurgeOptions, PurgePlan,
} from './maintenance';
export { ModelConfig, isModelConfig, withOverrides, activitysimConfig, beamConfig } from './configs';
export type { ActivitySimConfigOptions, BeamConfigOptions, ResolvedModelConfig, SourcePosition, PositionMap } from './configs';
export type { ConfigKeyChange } from './cache/config-changes';
// Sweeps (API.md §13)
export type { MapOptions } from './sweeps/map-options';
export type { MapItemResult } from './sweeps/map-service';
export type { SweepProgress } from './sweeps/progress';
// Progress (API.md §14)
export type { ProgressEvent, ProgressHook } from './util/progress';
export { slurm, SlurmExecutor, type SlurmOptions } from './executors/slurm-executor';
export { LocalExecutor } from './executors/local-executor';
export type { SweepExecutor, ExecutorSpec, ExecutorContext, WorkerJob, JobOutcome, JobEndState } from './executors/executor';
export { getDeclaringModule, type DeclaringModule } from './metadata/declaring-module';
// Transport-model data formats (API.md §12): OMX/HDF5, Zarr, GTFS, GeoParquet/GeoJSON.
export * from './formats';
