import type { LineageGraph, LineageGraphNode } from './lineage-graph';

/** Text formats of `consist lineage --format`. */
export type LineageFormat = 'tree' | 'dot' | 'mermaid' | 'json';
/** Every {@link LineageFormat}. */
export const LINEAGE_FORMATS: readonly LineageFormat[] = ['tree', 'dot', 'mermaid', 'json'];

/** One line describing a node (no colours). */
export function nodeLabel(n: LineageGraphNode): string {
  if (n.type === 'artifact') {
    const raw = n.ref === null ? ' (raw input)' : '';
    return `${n.label}  ${n.rawId}  ${String(n.detail.uri ?? '')}${raw}${n.truncated ? ' … (depth limit or cycle)' : ''}`;
  }
  const extra = [n.detail.model && `model=${String(n.detail.model)}`, n.detail.year != null && `year=${String(n.detail.year)}`,
    n.cacheHit && `cache hit ← ${n.ref ?? '?'}`].filter(Boolean).join(' ');
  return `run ${n.rawId} [${n.status ?? ''}] ${n.label}${extra ? `  ${extra}` : ''}`;
}

/** The graph as an indented tree walking upstream from the root (each node's inputs below it). */
export function lineageToTree(g: LineageGraph): string {
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const ups = new Map<string, string[]>();
  for (const e of g.edges) ups.set(e.to, [...(ups.get(e.to) ?? []), e.from]);
  const lines = [nodeLabel(byId.get(g.root) as LineageGraphNode)];
  const walk = (id: string, prefix: string, seen: Set<string>) => {
    const parents = ups.get(id) ?? [];
    parents.forEach((p, i) => {
      const last = i === parents.length - 1;
      const looped = seen.has(p);
      lines.push(`${prefix}${last ? '└── ' : '├── '}${nodeLabel(byId.get(p) as LineageGraphNode)}${looped ? ' (cycle)' : ''}`);
      if (!looped) walk(p, `${prefix}${last ? '    ' : '│   '}`, new Set(seen).add(p));
    });
  };
  walk(g.root, '', new Set([g.root]));
  const outs = g.edges.filter((e) => e.from === g.root).map((e) => byId.get(e.to) as LineageGraphNode);
  if (g.root.startsWith('run:') && outs.length) lines.push('outputs:', ...outs.map((n) => `  → ${nodeLabel(n)}`));
  return lines.join('\n');
}

const q = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** Graphviz DOT, left to right: runs as boxes (failed red, hits dashed), artifacts as ellipses. */
export function lineageToDot(g: LineageGraph): string {
  const lines = ['digraph lineage {', '  rankdir=LR;', '  node [fontname="Helvetica"];'];
  for (const n of g.nodes) {
    const attrs = n.type === 'run'
      ? [`shape=box`, `label=${q(`${n.label}\n${n.rawId}`)}`, n.status === 'failed' ? 'color=red' : '', n.cacheHit ? 'style=dashed' : '']
      : [`shape=ellipse`, `label=${q(n.label)}`, n.truncated ? 'style=dotted' : ''];
    lines.push(`  ${q(n.id)} [${attrs.filter(Boolean).join(', ')}];`);
  }
  for (const e of g.edges) lines.push(`  ${q(e.from)} -> ${q(e.to)};`);
  lines.push('}');
  return lines.join('\n');
}

/** Mermaid `flowchart LR`: runs as rectangles, artifacts as stadiums; failed runs and hits get classes. */
export function lineageToMermaid(g: LineageGraph): string {
  const ids = new Map(g.nodes.map((n, i) => [n.id, `n${i}`]));
  const text = (s: string) => `"${s.replace(/"/g, '#quot;')}"`;
  const lines = ['flowchart LR'];
  for (const n of g.nodes) {
    const id = ids.get(n.id) as string;
    lines.push(n.type === 'run' ? `  ${id}[${text(n.label)}]` : `  ${id}([${text(n.label)}])`);
    if (n.status === 'failed') lines.push(`  class ${id} failed`);
    else if (n.cacheHit) lines.push(`  class ${id} hit`);
  }
  for (const e of g.edges) lines.push(`  ${ids.get(e.from)} --> ${ids.get(e.to)}`);
  lines.push('  classDef failed stroke:#c00,color:#c00', '  classDef hit stroke-dasharray:4 2');
  return lines.join('\n');
}
