import { api, type Artifact, type MissExplanation, type RunDetail, type RunDiff } from './api';
import { bytes, cacheBadge, duration, fields, h, link, mount, runHref, statusEl, when } from './dom';

/** Flattens JSON into `path → value` rows (`a.b`, `weights[2]`), as config diffs name keys. */
function flatten(value: unknown, prefix = '', out: Array<[string, unknown]> = []): Array<[string, unknown]> {
  if (Array.isArray(value)) value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out));
  else if (value && typeof value === 'object') {
    for (const k of Object.keys(value).sort()) flatten((value as Record<string, unknown>)[k], prefix ? `${prefix}.${k}` : k, out);
  } else out.push([prefix || '(root)', value]);
  return out;
}

function configBlock(config: unknown, changed: readonly string[]): HTMLElement {
  const rows = flatten(config ?? {});
  const list = h('table', { class: 'config' }, h('tbody', {}, ...rows.map(([k, v]) => {
    const hit = changed.some((c) => k === c || k.startsWith(`${c}.`) || k.startsWith(`${c}[`));
    return h('tr', { 'data-config-key': k }, h('td', {}, h('code', { class: hit ? 'changed' : '' }, k)), h('td', {}, h('code', {}, JSON.stringify(v))));
  })));
  return h('details', { open: rows.length <= 30 }, h('summary', {}, `Config (${rows.length} key${rows.length === 1 ? '' : 's'})`), rows.length ? list : 'empty');
}

function artifactTable(title: string, items: Array<{ key: string; artifact: Artifact }>): HTMLElement {
  if (!items.length) return h('p', {}, `${title}: none`);
  return h('div', {}, h('h2', {}, `${title} (${items.length})`), h('table', { class: `artifacts ${title.toLowerCase()}` },
    h('thead', {}, h('tr', {}, ...['Key', 'Driver', 'Size', 'Producer', 'URI', ''].map((t) => h('th', {}, t)))),
    h('tbody', {}, ...items.map(({ key, artifact: a }) => h('tr', {},
      h('td', {}, h('code', {}, key)), h('td', {}, a.driver), h('td', {}, bytes(a.size)),
      h('td', {}, a.runId ? link(runHref(a.runId), a.runId, { class: 'mono' }) : 'raw input'),
      h('td', { class: 'mono' }, a.uri),
      h('td', {}, link(`#/lineage/artifact/${encodeURIComponent(a.id)}`, 'lineage')))))));
}

function missBlock(m: MissExplanation, runId: string): HTMLElement {
  const keys = m.details.configKeysChanged ?? [];
  return h('div', { class: 'miss-explanation', id: 'miss-explanation' },
    h('h2', {}, 'Why it re-ran (cache miss)'),
    fields([
      ['reason', h('code', {}, m.reason)],
      ['compared with', m.comparedRunId ? h('span', {}, link(runHref(m.comparedRunId), m.comparedRunId, { class: 'mono' }), ' · ',
        link(`#/diff/${encodeURIComponent(m.comparedRunId)}/${encodeURIComponent(runId)}`, 'diff side by side')) : 'no similar earlier run'],
      ['changed', m.mismatchedComponents.join(', ') || '–'],
      ['config keys changed', keys.length ? h('span', {}, ...keys.map((k) => h('code', { class: 'changed changed-key' }, k))) : null],
      ['run fields changed', (m.details.runFieldsChanged ?? []).join(', ') || null],
      ['inputs changed', (m.details.inputsChanged ?? []).map((i) => `${i.key} (${i.change})`).join(', ') || null],
      ['code', m.details.codeBefore ? `${m.details.codeBefore} → ${m.details.codeAfter ?? '?'}` : null],
    ].filter(([, v]) => v !== null) as Array<[string, HTMLElement | string]>));
}

/** The run page (`#/run/<id>`). */
export async function renderRun(id: string): Promise<void> {
  const d = await api<RunDetail>(`runs/${encodeURIComponent(id)}`);
  const r = d.run;
  const changed = d.missExplanation?.details.configKeysChanged ?? [];
  mount(
    h('h1', {}, 'Run ', h('span', { class: 'mono', id: 'run-id' }, r.id), ' ', statusEl(r.status), ' ', cacheBadge(r)),
    h('div', { class: 'tabs' }, link(`#/lineage/run/${encodeURIComponent(r.id)}`, 'Lineage graph'),
      r.parentRunId ? link(runHref(r.parentRunId), 'Scenario ↑') : null),
    r.error ? h('div', { class: 'error-box' }, `${r.error.code ?? r.error.name}: ${r.error.message}`) : null,
    fields([['name', r.name], ['kind', r.kind], ['model', r.model], ['year', r.year === null ? null : String(r.year)],
      ['iteration', r.iteration === null ? null : String(r.iteration)], ['tags', r.tags.join(', ') || null],
      ['started', when(r.startedAt)], ['ended', when(r.endedAt)], ['duration', duration(r.durationMs)],
      ['cache', r.cacheHit ? h('span', {}, 'hit, reused ', d.reusedFrom ? link(runHref(d.reusedFrom.id), d.reusedFrom.id, { class: 'mono', id: 'reused-from' }) : (r.reusedRunId ?? '?'))
        : r.signature ? 'miss (executed)' : 'not cached']]),
    d.missExplanation ? missBlock(d.missExplanation, r.id) : null,
    h('h2', {}, 'Identity'),
    fields(d.identity.map(({ name, value }) => [name, h('code', {}, typeof value === 'string' ? value : JSON.stringify(value))])),
    h('h2', {}, 'Config'), configBlock(r.config, changed),
    r.facet ? h('div', {}, h('h2', {}, 'Facets'), fields(flatten(r.facet).map(([k, v]) => [k, h('code', {}, JSON.stringify(v))]))) : null,
    artifactTable('Inputs', d.inputs), artifactTable('Outputs', d.outputs),
    d.children.length ? h('div', {}, h('h2', {}, `Steps (${d.children.length})`), h('ul', {}, ...d.children.map((c) =>
      h('li', {}, link(runHref(c.id), c.name), ' ', statusEl(c.status), c.cacheHit ? ' (hit)' : '')))) : null);
}

const cell = (v: unknown): string => (v === null || v === undefined ? '–' : typeof v === 'string' ? v : JSON.stringify(v));

/** Two runs side by side (`#/diff/<a>/<b>`). */
export async function renderDiff(a: string, b: string): Promise<void> {
  const d = await api<RunDiff>('diff', { a, b });
  mount(h('h1', {}, 'Diff ', link(runHref(d.a.id), d.a.id, { class: 'mono' }), ' ↔ ', link(runHref(d.b.id), d.b.id, { class: 'mono' })),
    h('h2', {}, 'Fields that differ'),
    d.fields.length ? h('table', {}, h('tbody', {}, ...d.fields.map((f) => h('tr', {}, h('td', {}, f.name), h('td', { class: 'mono' }, cell(f.a)), h('td', { class: 'mono' }, cell(f.b))))))
      : h('p', {}, 'none'),
    h('h2', {}, 'Config keys that differ'),
    h('p', { id: 'diff-config-keys' }, ...(d.configKeysChanged.length ? d.configKeysChanged.map((k) => h('code', { class: 'changed' }, k)) : ['none'])),
    h('div', { class: 'side-by-side' }, configBlock(d.a.config, d.configKeysChanged), configBlock(d.b.config, d.configKeysChanged)),
    h('h2', {}, 'Artifacts that differ'),
    d.artifacts.length ? h('table', {}, h('tbody', {}, ...d.artifacts.map((x) => h('tr', {}, h('td', {}, x.direction), h('td', {}, h('code', {}, x.key)),
      h('td', { class: 'mono' }, cell(x.a)), h('td', { class: 'mono' }, cell(x.b)))))) : h('p', {}, 'none'));
}
