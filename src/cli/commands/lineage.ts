import { Option, type Command } from 'commander';
import type { Run } from '../../model';
import type { LineageNode } from '../../recording/run-queries';
import { lineageGraph, resolveLineageStart } from '../../queries/lineage-graph';
import { LINEAGE_FORMATS, lineageToDot, lineageToMermaid, lineageToTree, type LineageFormat } from '../../queries/lineage-format';
import type { StoreFlags } from '../config';
import { addStoreOptions, parseCount, withTracker } from '../context';
import { colors, paintStatus, print, toJson } from '../format';

function artifactLabel(node: LineageNode): string {
  const { artifact } = node;
  const cut = node.truncated ? colors.yellow(' … (depth limit or cycle)') : '';
  const raw = artifact.runId === null ? colors.dim(' (raw input)') : '';
  return `${colors.bold(artifact.key)}  ${colors.dim(artifact.id)}  ${artifact.uri}${raw}${cut}`;
}

function runLabel(run: Run): string {
  const extra = [run.model && `model=${run.model}`, run.year !== null && `year=${run.year}`, run.cacheHit && 'cache hit']
    .filter(Boolean).join(' ');
  return `run ${colors.cyan(run.id)} [${paintStatus(run.status)}] ${run.name}${extra ? `  ${colors.dim(extra)}` : ''}`;
}

function walk(node: LineageNode, prefix: string, lines: string[]): void {
  if (!node.producer) return;
  // An artifact has exactly one producer, so its run is always the last (only) child.
  lines.push(`${prefix}└── ${runLabel(node.producer.run)}`);
  const inner = `${prefix}    `;
  const { inputs } = node.producer;
  inputs.forEach((input, i) => {
    const last = i === inputs.length - 1;
    lines.push(`${inner}${last ? '└── ' : '├── '}${artifactLabel(input)}`);
    walk(input, `${inner}${last ? '    ' : '│   '}`, lines);
  });
}

/** A lineage tree as indented text: each artifact, the run that produced it, that run's inputs, … */
export function renderLineage(root: LineageNode): string {
  const lines = [artifactLabel(root)];
  walk(root, '', lines);
  return lines.join('\n');
}

interface LineageFlags extends StoreFlags { depth: number; json?: boolean; format?: LineageFormat }

/**
 * `consist lineage <artifact|run>`: the runs and inputs an artifact (or a run) was derived from.
 * `--json` prints an artifact's nested tree (as `tracker.lineage`); `--format json` prints the
 * graph (`{ root, nodes, edges }`, as `/api/lineage`).
 */
export function registerLineageCommand(program: Command): void {
  addStoreOptions(program.command('lineage')
    .description('show the provenance of an artifact or a run (tree, Graphviz dot, Mermaid or JSON graph)')
    .argument('<id>', 'artifact id (see `consist artifacts <run>`) or run id')
    .option('--depth <n>', 'follow producing runs this many levels up', parseCount, 10)
    .addOption(new Option('--format <format>', 'output format').choices(LINEAGE_FORMATS as string[]))
    .option('--json', "print an artifact's lineage as a nested JSON tree"))
    .action(async (id: string, flags: LineageFlags) => {
      await withTracker(flags, async (t) => {
        if (flags.format === undefined) {
          const start = await resolveLineageStart(t, id, flags.depth);
          if (start.artifact !== undefined) {
            const tree = await t.lineage(id, { maxDepth: flags.depth });
            return print(flags.json ? toJson(tree) : renderLineage(tree));
          }
          return print(flags.json ? toJson(await lineageGraph(t, start)) : lineageToTree(await lineageGraph(t, start)));
        }
        const graph = await lineageGraph(t, await resolveLineageStart(t, id, flags.depth));
        const render = { tree: lineageToTree, dot: lineageToDot, mermaid: lineageToMermaid, json: (g: typeof graph) => toJson(g) }[flags.format];
        print(render(graph));
      });
    });
}
