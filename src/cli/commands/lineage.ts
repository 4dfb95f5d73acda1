import type { Command } from 'commander';
import type { Run } from '../../model';
import type { LineageNode } from '../../recording/run-queries';
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

/** `consist lineage <artifactId>`: the runs and inputs an artifact was derived from. */
export function registerLineageCommand(program: Command): void {
  addStoreOptions(program.command('lineage')
    .description('show the provenance tree of an artifact')
    .argument('<artifact>', 'artifact id (see `consist artifacts <run>`)')
    .option('--depth <n>', 'follow producing runs this many levels up', parseCount, 10)
    .option('--json', 'print the tree as JSON'))
    .action(async (artifactId: string, flags: StoreFlags & { depth: number; json?: boolean }) => {
      const tree = await withTracker(flags, (t) => t.lineage(artifactId, { maxDepth: flags.depth }));
      print(flags.json ? toJson(tree) : renderLineage(tree));
    });
}
