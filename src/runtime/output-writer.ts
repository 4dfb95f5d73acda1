import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Arrow } from '../util/arrow-lib';
import type { ArtifactStore } from '../artifacts/artifact-store';
import { ArtifactError, ExecutionError, OutputMissingError } from '../errors';
import type { StepDefinition } from '../metadata/compile-step';
import type { Artifact } from '../model';
import { assertArtifactKey, keyFromRelativePath } from '../model/artifact-key';
import { rowsToArrow, writeParquet } from '../engine/arrow-bridge';
import type { DataEngine } from '../engine/data-engine';
import { globToRegExp } from '../util/glob';
import type { ActiveRun } from '../recording/active-run';
import type { CaptureOptions, LogOutputOptions, LogTableOptions, StepContextPort, TableLike } from './step-context';
import { assertOutputFacet, unwrapOutputValue } from './output-facets';

const isArtifact = (v: unknown): v is Artifact =>
  typeof v === 'object' && v !== null && typeof (v as Artifact).uri === 'string' && typeof (v as Artifact).id === 'string';

/** What an {@link OutputWriter} writes with and for. @internal */
export interface OutputWriterDeps {
  artifacts: ArtifactStore;
  engine: DataEngine;
  /** The executing run the outputs are linked to. */
  active: ActiveRun;
  /** The run folder outputs must stay inside. */
  folder: string;
  /** Called after each output is logged. */
  onOutput?: (key: string, artifact: Artifact) => void;
}

/** Writes and logs the outputs of one executing run; implements the step context's logging. @internal */
export class OutputWriter implements StepContextPort {
  private readonly artifacts: ArtifactStore;
  private readonly engine: DataEngine;
  private readonly active: ActiveRun;
  private readonly folder: string;
  private readonly onOutput?: (key: string, artifact: Artifact) => void;

  constructor(deps: OutputWriterDeps) {
    ({ artifacts: this.artifacts, engine: this.engine, active: this.active, folder: this.folder, onOutput: this.onOutput } = deps);
  }

  /** Logs `file` as output `key`; `driver` when the caller wrote the file and knows its format (no sniffing). */
  async logOutput(file: string, key: string, options: LogOutputOptions & { driver?: string } = {}): Promise<Artifact> {
    assertArtifactKey(key);
    const { schema, facet, facetNamespace, driver } = options;
    assertOutputFacet(key, { facet, facetNamespace });
    const artifact = await this.artifacts.describe(this.inside(file),
      { key, direction: 'output', schema, facet, facetNamespace, driver }, this.active.id);
    this.active.link(artifact, key, 'output');
    this.onOutput?.(key, artifact);
    return artifact;
  }

  async logTable(table: TableLike, options: LogTableOptions): Promise<Artifact> {
    assertArtifactKey(options.key);
    const arrow = table instanceof Arrow.Table ? table : rowsToArrow(table as Record<string, unknown>[]);
    const file = path.join(this.folder, `${options.key.replace(/[/:]/g, '__')}.parquet`);
    await this.engine.use((conn) => writeParquet(conn, arrow, file,
      { compression: this.engine.parquetCompression, onProgress: this.engine.onProgress }));
    return this.logOutput(file, options.key, { schema: options.schema, facet: options.facet, facetNamespace: options.facetNamespace, driver: 'parquet' });
  }

  async captureOutputs(dir: string, options: CaptureOptions, fn: () => Promise<void>): Promise<Artifact[]> {
    const root = this.inside(dir);
    const match = globToRegExp(options.pattern ?? '**');
    const before = await listFiles(root);
    await fn();
    const changed = [...(await listFiles(root))].filter(([rel, sig]) => match.test(rel) && before.get(rel) !== sig).map(([rel]) => rel);
    const byKey = new Map<string, string>();
    for (const rel of changed.sort()) {
      const key = keyFromRelativePath(rel);
      const other = byKey.get(key);
      if (other) {
        throw new ExecutionError('CAPTURE_COLLISION', `Captured files '${other}' and '${rel}' both map to output key '${key}'. ` +
          'Rename one, or narrow the capture pattern.', { details: { key, files: [other, rel] } });
      }
      byKey.set(key, rel);
    }
    const out: Artifact[] = [];
    for (const [key, rel] of byKey) out.push(await this.logOutput(path.join(root, rel), key));
    return out;
  }

  /** A relative path resolved inside the run folder (`OUTPUT_PATH_ESCAPES_RUN` when `..` leaves it); an absolute path as is. */
  private inside(file: string): string {
    if (path.isAbsolute(file)) return file;
    const abs = path.resolve(this.folder, file);
    const rel = path.relative(this.folder, abs);
    if (rel.startsWith('..') || path.isAbsolute(rel)) throw ArtifactError.escapesRunFolder(file, this.folder);
    return abs;
  }

  /** Logs what `run()` returned and checks declared outputs. Returns every output by key. */
  async collect(def: StepDefinition, returned: unknown): Promise<Record<string, Artifact>> {
    const values = typeof returned === 'object' && returned !== null && !(returned instanceof Arrow.Table) && !Array.isArray(returned)
      ? (returned as Record<string, unknown>) : {};
    const keys = def.declaresOutputs ? def.outputs.map((o) => o.key) : Object.keys(values);
    for (const key of keys) {
      if (values[key] === undefined || values[key] === null) continue;
      const { value: v, facet, facetNamespace } = unwrapOutputValue(values[key], key);
      const schema = def.outputs.find((o) => o.key === key)?.schema ?? undefined;
      if (v instanceof Arrow.Table || Array.isArray(v)) await this.logTable(v as TableLike, { key, schema, facet, facetNamespace });
      else if (typeof v === 'string') await this.logOutput(v, key, { schema, facet, facetNamespace });
      else if (isArtifact(v)) this.active.link(this.artifacts.withPath(v), key, 'output');
    }
    const outputs = Object.fromEntries(this.active.linked('output').map((l) => [l.key, this.artifacts.withPath(l.artifact)]));
    const missing = def.outputs.filter((o) => o.required && !outputs[o.key]).map((o) => o.key);
    if (missing.length) throw new OutputMissingError(def.name, missing);
    return outputs;
  }
}

async function listFiles(root: string, rel = '', out = new Map<string, string>()): Promise<Map<string, string>> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(path.join(root, rel), { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) await listFiles(root, r, out);
    else if (e.isFile()) {
      const st = await fs.stat(path.join(root, r));
      out.set(r, `${st.size}:${st.mtimeMs}`);
    }
  }
  return out;
}
