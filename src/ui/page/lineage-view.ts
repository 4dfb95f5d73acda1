import dagre from '@dagrejs/dagre';
import { api, type GraphNode, type LineageGraph } from './api';
import { h, link, mount, runHref } from './dom';

const SVG = 'http://www.w3.org/2000/svg';
const NODE_H = 40;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/** Node width from its longest label line (measured layouts are not needed for readable output). */
const widthOf = (n: GraphNode): number => Math.max(90, Math.min(320, Math.max(n.label.length, sub(n).length * 0.85) * 7 + 24));

function sub(n: GraphNode): string {
  if (n.type === 'run') return `${n.status ?? ''}${n.cacheHit ? ' · cache hit' : ''}${n.detail.year != null ? ` · ${String(n.detail.year)}` : ''}`;
  return `${String(n.detail.driver ?? '')}${n.truncated ? ' · …' : ''}`;
}

/** A smooth path through dagre's edge points (quadratic segments through the midpoints). */
function edgePath(points: Array<{ x: number; y: number }>): string {
  if (points.length < 3) return `M${points.map((p) => `${p.x},${p.y}`).join(' L')}`;
  let d = `M${points[0].x},${points[0].y}`;
  for (let i = 1; i < points.length - 1; i++) {
    const m = { x: (points[i].x + points[i + 1].x) / 2, y: (points[i].y + points[i + 1].y) / 2 };
    d += ` Q${points[i].x},${points[i].y} ${i === points.length - 2 ? `${points[i + 1].x},${points[i + 1].y}` : `${m.x},${m.y}`}`;
  }
  return d;
}

function hrefOf(n: GraphNode): string {
  return n.type === 'run' ? runHref(n.rawId) : `#/lineage/artifact/${encodeURIComponent(n.rawId)}`;
}

/** Lays the graph out left to right with dagre and draws it as SVG; each node is a focusable link-like button. */
export function drawLineage(g: LineageGraph): SVGSVGElement {
  const layout = new dagre.graphlib.Graph();
  layout.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 50, marginx: 16, marginy: 16 });
  layout.setDefaultEdgeLabel(() => ({}));
  for (const n of g.nodes) layout.setNode(n.id, { width: widthOf(n), height: NODE_H });
  for (const e of g.edges) layout.setEdge(e.from, e.to);
  dagre.layout(layout);
  const { width = 100, height = 100 } = layout.graph();
  // Fit to width, but never blow a small graph up past 1.25× its natural size.
  const root = svg('svg', {
    class: 'lineage', viewBox: `0 0 ${width} ${height}`, width: '100%', style: `max-width:${Math.round(width * 1.25)}px`,
    'data-natural-width': width, role: 'img', 'aria-label': 'lineage graph',
  });
  const defs = svg('defs');
  const marker = svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
  marker.append(svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#9aa3b5' }));
  defs.append(marker);
  root.append(defs);
  for (const e of layout.edges()) {
    root.append(svg('path', { class: 'edge', d: edgePath(layout.edge(e).points ?? []), 'marker-end': 'url(#arrow)' }));
  }
  for (const n of g.nodes) {
    const p = layout.node(n.id);
    const w = widthOf(n);
    const classes = ['node', n.type, n.status === 'failed' ? 'failed' : '', n.cacheHit ? 'hit' : '', n.truncated ? 'truncated' : '', n.id === g.root ? 'root' : ''];
    const group = svg('g', {
      class: classes.filter(Boolean).join(' '), transform: `translate(${p.x - w / 2},${p.y - NODE_H / 2})`,
      'data-node-id': n.id, role: 'button', tabindex: 0, 'aria-label': `${n.type} ${n.label}`,
    });
    const title = svg('title');
    title.textContent = n.type === 'run' ? `run ${n.rawId}` : `${String(n.detail.uri ?? '')}\n${n.rawId}`;
    group.append(title, svg('rect', { width: w, height: NODE_H, rx: n.type === 'run' ? 4 : 16 }));
    const label = svg('text', { x: 10, y: 17 });
    label.textContent = n.label;
    const small = svg('text', { x: 10, y: 31, class: 'sub' });
    small.textContent = sub(n);
    group.append(label, small);
    const go = () => { location.hash = hrefOf(n); };
    group.addEventListener('click', go);
    group.addEventListener('keydown', (ev) => { if ((ev as KeyboardEvent).key === 'Enter') go(); });
    root.append(group);
  }
  return root;
}

/** The lineage page (`#/lineage/run/<id>` or `#/lineage/artifact/<id>`), with a depth limit and fit / 1:1. */
export async function renderLineage(kind: 'run' | 'artifact', id: string, depth = 5): Promise<void> {
  const g = await api<LineageGraph>('lineage', { [kind]: id, depth });
  const wrap = h('div', { class: 'graph-wrap', id: 'lineage' });
  const graph = drawLineage(g);
  wrap.append(graph);
  let fit = true;
  const toggle = h('button', { id: 'fit-toggle', onclick: () => {
    fit = !fit;
    const natural = Number(graph.getAttribute('data-natural-width'));
    graph.setAttribute('width', fit ? '100%' : String(natural));
    graph.style.maxWidth = fit ? `${Math.round(natural * 1.25)}px` : 'none';
    toggle.textContent = fit ? '1:1' : 'Fit to width';
  } }, '1:1');
  const depthInput = h('input', { type: 'number', min: 0, max: 50, value: depth, 'aria-label': 'depth', style: 'width:4rem' });
  depthInput.addEventListener('change', () => void renderLineage(kind, id, Number(depthInput.value)));
  mount(
    h('h1', {}, `Lineage of ${kind} `, kind === 'run' ? link(runHref(id), id, { class: 'mono' }) : h('span', { class: 'mono' }, id)),
    h('div', { class: 'graph-tools' }, toggle, h('label', {}, 'depth ', depthInput),
      h('span', {}, `${g.nodes.length} nodes · runs are boxes (failed: red, cache hit: dashed) · artifacts are rounded · click to navigate`)),
    wrap);
}
