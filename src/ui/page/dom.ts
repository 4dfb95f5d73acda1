/** Tiny DOM helpers of the page (no framework). */

type Child = Node | string | number | null | undefined | false;

/** Creates an element with attributes (`on*` functions become listeners) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, unknown> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v as EventListener);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

/** Appends children, skipping empty ones. */
export function append(el: Element, children: Child[]): void {
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(typeof c === 'number' ? String(c) : c);
}

/** Replaces the page's main content. */
export function mount(...children: Child[]): HTMLElement {
  const app = document.getElementById('app') as HTMLElement;
  app.replaceChildren();
  append(app, children);
  app.setAttribute('aria-busy', 'false');
  return app;
}

/** A run status as a coloured span. */
export const statusEl = (status: string): HTMLElement => h('span', { class: `status-${status}` }, status);

/** A cache hit/miss badge. */
export function cacheBadge(run: { cacheHit: boolean; signature: string | null; reusedRunId: string | null }): HTMLElement | null {
  if (run.cacheHit) return h('span', { class: 'badge hit', title: `reused ${run.reusedRunId ?? '?'}` }, 'hit');
  return run.signature ? h('span', { class: 'badge miss' }, 'miss') : null;
}

/** `850 ms`, `12.3 s`, `4 m 05 s`. */
export function duration(ms: number | null): string {
  if (ms === null) return '–';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} m ${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')} s`;
}

/** `1.2 MB`-style sizes. */
export function bytes(n: number | null): string {
  if (n === null || n === undefined) return '–';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) { v /= 1000; u++; }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${units[u]}`;
}

/** A timestamp as `YYYY-MM-DD HH:MM:SS`. */
export const when = (iso: string | null): string => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '–');

/** `label → value` rows. */
export function fields(rows: Array<[string, Child]>): HTMLElement {
  const dl = h('dl', { class: 'fields' });
  for (const [k, v] of rows) append(dl, [h('dt', {}, k), h('dd', {}, v ?? '–')]);
  return dl;
}

/** A link to a hash route. */
export const link = (href: string, text: Child, attrs: Record<string, unknown> = {}): HTMLAnchorElement => h('a', { href, ...attrs }, text);

/** `#/run/<id>` with the id encoded. */
export const runHref = (id: string): string => `#/run/${encodeURIComponent(id)}`;
