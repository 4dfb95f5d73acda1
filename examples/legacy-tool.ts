/**
 * Wrapping a legacy tool: a shell command that sorts a CSV runs as a cached step (its binary,
 * arguments and the environment entries you pass are the signature), then editing a `dependsOn`
 * config file invalidates it. Run with `node dist-examples/examples/legacy-tool.js [runDir]`
 * after `npm run build`.
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Tracker, type RunCommandOptions } from '../src';

/** Runs the example in `workDir`; returns whether each call hit the cache. */
export async function main(workDir: string, print: (s: string) => void = console.log): Promise<boolean[]> {
  const data = path.join(workDir, 'data');
  mkdirSync(data, { recursive: true });
  writeFileSync(path.join(data, 'persons.csv'), '3,carol\n1,alice\n2,bob\n');
  writeFileSync(path.join(data, 'tool.yaml'), 'order: ascending\n');
  const tracker = await Tracker.open({ runDir: path.join(workDir, 'runs') });
  const sort: RunCommandOptions = {
    name: 'sort-persons',
    command: ['sh', '-c', 'sort -t, -k1,1n "$1" > "$2"', 'sh', 'persons.csv', 'sorted.csv'],
    cwd: data,
    env: { LC_ALL: 'C' },
    inputs: ['persons.csv'],
    dependsOn: ['tool.yaml'],
    outputs: { sorted: 'sorted.csv' },
  };
  try {
    const hits: boolean[] = [];
    for (const label of ['first call', 'same call again', 'after editing tool.yaml']) {
      if (label.startsWith('after')) writeFileSync(path.join(data, 'tool.yaml'), 'order: descending\n');
      const r = await tracker.runCommand(sort);
      hits.push(r.cacheHit);
      const why = r.cacheMissReason ? ` (${r.cacheMissReason.reason})` : '';
      print(`${label.padEnd(24)} cache ${r.cacheHit ? 'hit' : `miss${why}`}  → ${path.relative(workDir, r.outputs.sorted.path)}`);
    }
    return hits;
  } finally {
    await tracker.close();
  }
}

if (require.main === module) {
  main(path.resolve(process.argv[2] ?? 'legacy-tool-demo')).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
