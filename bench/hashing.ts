import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { hashFile } from '../src/identity/hash';
import { reps, type Bench } from './context';
import { compare, timePair } from './harness';

const exec = promisify(execFile);

/** Writes `mib` MiB of random bytes (4 MiB blocks) and reads it once so it sits in the page cache. */
async function makeFile(file: string, mib: number): Promise<void> {
  const block = randomBytes(4 * 1024 * 1024);
  const h = await fs.open(file, 'w');
  try {
    let left = mib * 1024 * 1024;
    while (left > 0) {
      const n = Math.min(left, block.length);
      await h.write(block, 0, n);
      left -= n;
    }
  } finally {
    await h.close();
  }
}

/** Full SHA-256 of one large file: `hashFile(path, 'full')` against `openssl dgst -sha256`. */
export const hashingBench: Bench = {
  name: 'hashing',
  async run(ctx) {
    const mib = ctx.sizes['hashing.mib'];
    const file = path.join(ctx.workDir, 'big.bin');
    await makeFile(file, mib);
    const ours = await hashFile(file, 'full');
    const { stdout } = await exec('openssl', ['dgst', '-sha256', '-r', file]);
    if (`sha256:${stdout.split(' ')[0]}` !== ours) throw new Error(`hash mismatch: ${ours} vs ${stdout}`);
    const t = await timePair(
      () => hashFile(file, 'full'),
      () => exec('openssl', ['dgst', '-sha256', '-r', file]),
      reps(ctx.sizes),
    );
    await fs.rm(file, { force: true });
    const mb = (mib * 1024 * 1024) / 1e6;
    return [compare(`hashing ${mib} MiB sha256`, t.ours, t.floor, '>= 0.9',
      { throughputAmount: mb, unit: 'MB/s', note: 'floor: openssl dgst -sha256 (process spawn included); 1 thread on both sides (SHA-256 of one stream is sequential)' })];
  },
};
