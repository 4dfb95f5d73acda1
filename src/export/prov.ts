import type { QuerySource } from '../queries/query-source';
import { exportedRuns, type ExportOptions } from './export-runs';

/** A W3C PROV-JSON document (https://www.w3.org/submissions/prov-json/). */
export interface ProvDocument {
  prefix: Record<string, string>;
  entity: Record<string, Record<string, unknown>>;
  activity: Record<string, Record<string, unknown>>;
  used: Record<string, Record<string, unknown>>;
  wasGeneratedBy: Record<string, Record<string, unknown>>;
  wasInformedBy: Record<string, Record<string, unknown>>;
}

const typed = (type: string, value: unknown) => (value === null || value === undefined ? undefined : { $: String(value), type });
const clean = (o: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null));

/**
 * Runs as PROV activities and artifacts as PROV entities, with `used`, `wasGeneratedBy` and (for
 * scenario steps) `wasInformedBy` their scenario header (`consist export prov`).
 */
export async function provDocument(source: QuerySource, options: ExportOptions = {}): Promise<ProvDocument> {
  const doc: ProvDocument = {
    prefix: { consist: 'urn:consist:', run: 'urn:consist:run:', artifact: 'urn:consist:artifact:' },
    entity: {}, activity: {}, used: {}, wasGeneratedBy: {}, wasInformedBy: {},
  };
  let n = 0;
  for await (const { run, inputs, outputs } of exportedRuns(source, options)) {
    const act = `run:${run.id}`;
    doc.activity[act] = clean({
      'prov:startTime': run.startedAt, 'prov:endTime': run.endedAt ?? undefined, 'prov:label': run.name, 'prov:type': `consist:${run.kind}`,
      'consist:status': run.status, 'consist:model': run.model, 'consist:year': typed('xsd:int', run.year),
      'consist:signature': run.signature, 'consist:cacheHit': typed('xsd:boolean', run.cacheHit), 'consist:reusedRunId': run.reusedRunId,
    });
    for (const a of [...inputs, ...outputs]) {
      doc.entity[`artifact:${a.id}`] ??= clean({
        'prov:label': a.key, 'prov:location': a.uri, 'consist:driver': a.driver, 'consist:hash': a.hash, 'consist:size': typed('xsd:long', a.size),
      });
    }
    for (const a of inputs) doc.used[`_:u${++n}`] = { 'prov:activity': act, 'prov:entity': `artifact:${a.id}` };
    for (const a of outputs) doc.wasGeneratedBy[`_:g${++n}`] = clean({ 'prov:entity': `artifact:${a.id}`, 'prov:activity': act, 'prov:time': run.endedAt ?? undefined });
    if (run.parentRunId) doc.wasInformedBy[`_:i${++n}`] = { 'prov:informed': act, 'prov:informant': `run:${run.parentRunId}` };
  }
  return doc;
}
