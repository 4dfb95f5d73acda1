import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hashFile, hashPath, HASH_PROGRESS_MIN_BYTES } from '../../../src/identity';
import type { ProgressEvent } from '../../../src/util/progress';

const MiB = 1024 * 1024;

describe('hash progress (onProgress of big inputs)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'consist-hash-progress-'));
  });
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  const collect = (): { events: ProgressEvent[]; onProgress: (e: ProgressEvent) => void } => {
    const events: ProgressEvent[] = [];
    return { events, onProgress: (e) => events.push({ ...e }) };
  };

  const expectBytesToDone = (events: ProgressEvent[], total: number, item: string): void => {
    expect(events.length).toBeGreaterThan(1);
    for (const [i, e] of events.entries()) {
      expect(e).toMatchObject({ task: 'hash', total, item });
      if (i > 0) expect(e.done).toBeGreaterThan(events[i - 1].done);
    }
    expect(events[events.length - 1].done).toBe(total);
  };

  it('reports bytes hashed of a file above the threshold, monotonic, ending at done = total, same hash', async () => {
    const data = randomBytes(9 * MiB + 123);
    const file = path.join(dir, 'big.bin');
    await fs.writeFile(file, data);
    const { events, onProgress } = collect();

    const hash = await hashFile(file, 'full', undefined, { onProgress, minBytes: MiB });

    expect(hash).toBe(`sha256:${createHash('sha256').update(data).digest('hex')}`);
    expectBytesToDone(events, data.length, file);
    expect(events).toHaveLength(3); // two 4 MiB blocks, then the last block as done = total
  });

  it('reports nothing below the threshold (default 64 MiB) nor in fast mode', async () => {
    const file = path.join(dir, 'small.bin');
    await fs.writeFile(file, randomBytes(2 * MiB));
    const { events, onProgress } = collect();
    await hashFile(file, 'full', undefined, { onProgress });
    await hashPath(file, 'fast', undefined, { onProgress, minBytes: 1 });
    expect(HASH_PROGRESS_MIN_BYTES).toBe(64 * MiB);
    expect(events).toEqual([]);
  });

  it('counts all files of a directory together, and the hash is the one without progress', async () => {
    const tree = path.join(dir, 'tree');
    await fs.mkdir(path.join(tree, 'sub'), { recursive: true });
    await fs.writeFile(path.join(tree, 'a.bin'), randomBytes(5 * MiB));
    await fs.writeFile(path.join(tree, 'sub', 'b.bin'), randomBytes(3 * MiB));
    await fs.writeFile(path.join(tree, 'c.txt'), 'small');
    const { events, onProgress } = collect();

    const hash = await hashPath(tree, 'full', undefined, { onProgress, minBytes: MiB });

    expect(hash).toBe(await hashPath(tree, 'full'));
    expectBytesToDone(events, 8 * MiB + 5, tree);
  });

  it('a throwing hook does not break the hash', async () => {
    const file = path.join(dir, 'big.bin');
    const hash = await hashFile(file, 'full', undefined, { onProgress: () => { throw new Error('display broke'); }, minBytes: 1 });
    expect(hash).toBe(await hashFile(file, 'full'));
  });
});
