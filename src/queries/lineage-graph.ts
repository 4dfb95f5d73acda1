import type { Artifact, Run } from '../model';
import type { LineageNode } from '../recording/run-queries';
import { ArtifactError, isConsistError, UiError } from '../errors';
import type { QuerySource } from './query-source';
import { requireRun } from './run-detail';

/** A node of a lineage graph: a run or an artifact. Ids are `run:<id>` / `artifact:<id>`. */
export interface LineageGraphNode {
  id: string;
  type: 'run' | 'artifact';
  label: string;
  /** Runs: status; artifacts: null. */
  status: string | null;
  cacheHit: boolean;
  /** Runs: the reused run on a hit; artifacts: the producing run. */
  ref: string | null;
  /** Artifacts: the raw id; runs: the run id. */
  rawId: string;
  /** True where the walk stopped (depth limit or a cycle). */
  truncated: boolean;
  detail: Record<string, unknown>;
}

/** The lineage of a run or an artifact as a DAG: edges go from input artifact → run → output artifact. */
export interface LineageGraph {
  root: string;
  depth: number;
  nodes: LineageGraphNode[];
  edges: Array<{ from: string; to: string }>;
}

/** Where a lineage starts: exactly one of an artifact id or a run id. */
export interface LineageStart { artifact?: string; run?: string; depth?: number }

const MAX_DEPTH = 50;

class GraphBuilder {
  readonly nodes = new Map<string, LineageGraphNode>();
  private readonly edges = new Map<string, { from: string; to: string }>();

  run(run: Run): string {
    const id = `run:${run.id}`;
    if (!this.nodes.has(id)) {
      this.nodes.set(id, {
        id, type: 'run', label: run.name, status: run.status, cacheHit: run.cacheHit, ref: run.reusedRunId, rawId: run.id, truncated: false,
        detail: { model: run.model, year: run.year, kind: run.kind, startedAt: run.startedAt },
      });
    }
    return id;
  }

  artifact(a: Artifact, truncated = false): string {
    const id = `artifact:${a.id}`;
    const known = this.nodes.get(id);
    if (known) known.truncated ||= truncated;
    else {
      this.nodes.set(id, {
        id, type: 'artifact', label: a.key, status: null, cacheHit: false, ref: a.runId, rawId: a.id, truncated,
        detail: { uri: a.uri, driver: a.driver, size: a.size, hash: a.hash },
      });
    }
    return id;
  }

  edge(from: string, to: string): void {
    this.edges.set(`${from}→${to}`, { from, to });
  }

  /** Adds a lineage tree: the artifact, its producer, the producer's inputs, recursively. */
  tree(node: LineageNode): string {
    const a = this.artifact(node.artifact, Boolean(node.truncated));
    if (node.producer) {
      const r = this.run(node.producer.run);
      this.edge(r, a);
      for (const input of node.producer.inputs) this.edge(this.tree(input), r);
    }
    return a;
  }

  graph(root: string, depth: number): LineageGraph {
    return { root, depth, nodes: [...this.nodes.values()], edges: [...this.edges.values()] };
  }
}

function checkDepth(depth: number | undefined): number {
  const d = depth ?? 5;
  if (!Number.isInteger(d) || d < 0 || d > MAX_DEPTH) throw UiError.badRequest('depth', `an integer 0…${MAX_DEPTH}`);
  return d;
}

/**
 * The lineage DAG of an artifact (its producing runs and their inputs, `depth` runs up) or of a
 * run (its outputs, its inputs and their lineage). `ARTIFACT_NOT_FOUND` / `RUN_NOT_FOUND` for
 * unknown ids.
 */
export async function lineageGraph(source: QuerySource, start: LineageStart): Promise<LineageGraph> {
  if ((start.artifact === undefined) === (start.run === undefined)) throw UiError.badRequest('the lineage start', 'exactly one of artifact or run');
  const depth = checkDepth(start.depth);
  const b = new GraphBuilder();
  if (start.artifact !== undefined) {
    const root = b.tree(await source.lineage(start.artifact, { maxDepth: depth }));
    return b.graph(root, depth);
  }
  const run = await requireRun(source, start.run as string);
  const root = b.run(run);
  const arts = await source.getArtifactsForRun(run.id);
  for (const a of Object.values(arts.outputs)) b.edge(root, b.artifact(a));
  for (const a of Object.values(arts.inputs)) {
    const id = depth === 0 ? b.artifact(a, a.runId !== null) : b.tree(await source.lineage(a, { maxDepth: depth }));
    b.edge(id, root);
  }
  return b.graph(root, depth);
}

/** Resolves a CLI argument that may be an artifact id or a run id (artifact ids are tried first). */
export async function resolveLineageStart(source: QuerySource, id: string, depth?: number): Promise<LineageStart> {
  try {
    await source.getArtifact(id);
    return { artifact: id, depth };
  } catch (err) {
    if (!isConsistError(err) || err.code !== 'ARTIFACT_NOT_FOUND') throw err;
  }
  if (await source.getRun(id)) return { run: id, depth };
  throw ArtifactError.notFound(id, 'No artifact or run has this id; list runs with `consist runs` and artifacts with `consist artifacts <run>`.');
}
