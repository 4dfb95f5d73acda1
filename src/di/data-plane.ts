import type { ProgressHook } from '../util/progress';
import type { ArtifactLoader } from '../artifacts/loader';
import type { ArtifactStore } from '../artifacts/artifact-store';
import { Materializer } from '../materialize/materializer';
import { SchemaRegistry } from '../materialize/schema-registry';
import type { ArtifactRepository } from '../provenance/artifact-repository';
import type { DataEngine } from '../engine/data-engine';
import type { DbUnits } from '../provenance/database';
import type { RunRepository } from '../provenance/run-repository';
import { SchemaFileStore } from '../journal/schema-files';
import type { Logger } from '../util/logger';
import { ViewFactory } from '../views/view-factory';
import { ViewSources } from '../views/view-sources';

/** The data-plane services: schemas, ingestion and views. @internal */
export interface DataPlaneServices {
  schemaRegistry: SchemaRegistry;
  materializer: Materializer;
  views: ViewFactory;
}

/** What the data plane is built from. @internal */
export interface DataPlaneDeps {
  db: DbUnits;
  engine: DataEngine;
  runs: RunRepository;
  artifactRows: ArtifactRepository;
  artifacts: ArtifactStore;
  loader: ArtifactLoader;
  logger: Logger;
  schemas: Readonly<Record<string, Function>>;
  /** The runs folder (schema files live in its `.consist/schemas/`). */
  runDir: string;
  /** `Tracker.open({ onProgress })`, for ingest progress. */
  onProgress?: ProgressHook;
}

/** Wires the data plane (part of the composition root). @internal */
export function composeDataPlane(d: DataPlaneDeps): DataPlaneServices {
  const schemaRegistry = new SchemaRegistry({
    db: d.db, engine: d.engine, uris: d.artifacts.uris, logger: d.logger, files: new SchemaFileStore(d.runDir),
  });
  const materializer = new Materializer({ db: d.db, runs: d.runs, artifactRows: d.artifactRows, artifacts: d.artifacts, loader: d.loader, schemas: schemaRegistry, onProgress: d.onProgress });
  const views = new ViewFactory({
    db: d.db, registry: schemaRegistry, toPath: (uri) => d.artifacts.uris.toPath(uri), logger: d.logger, schemas: d.schemas,
    sources: new ViewSources({ db: d.db, toPath: (uri) => d.artifacts.uris.toPath(uri), logger: d.logger, formats: d.loader.formats, engine: d.engine, runDir: d.runDir }),
  });
  return { schemaRegistry, materializer, views };
}
