import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hashFile, hashPath, sha256Hex } from '../../../src/identity';

let dir: string;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'consist-hash-'));
});

afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function write(rel: string, content: string | Buffer): Promise<string> {
  const file = path.join(dir, rel);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, content);
  return file;
}

describe('sha256Hex', () => {
  it('hashes UTF-8 text when given a string', () => {
    expect(sha256Hex('hello world')).toBe('b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9');
    expect(sha256Hex(Buffer.from('hello world'))).toBe(sha256Hex('hello world'));
  });
});

describe('hashFile', () => {
  it('returns sha256:<hex> of the bytes when mode is full', async () => {
    const file = await write('hello.txt', 'hello world');

    expect(await hashFile(file, 'full')).toBe('sha256:b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9');
  });

  it('equals crypto sha256 of the content when the file spans several read blocks', async () => {
    const content = randomBytes(9 * 1024 * 1024 + 17);
    const file = await write('big.bin', content);

    const expected = createHash('sha256').update(content).digest('hex');
    expect(await hashFile(file, 'full')).toBe(`sha256:${expected}`);
  });

  it('hashes an empty file when mode is full', async () => {
    const file = await write('empty', '');

    expect(await hashFile(file, 'full')).toBe(`sha256:${sha256Hex('')}`);
  });

  it('returns fast:<sha256 of size_mtimeNs> when mode is fast', async () => {
    const file = await write('hello.txt', 'hello world');
    await fs.utimes(file, 1_700_000_000, 1_700_000_000);

    expect(await hashFile(file, 'fast')).toBe(`fast:${sha256Hex('11_1700000000000000000')}`);
    expect(await hashFile(file, 'fast')).toBe('fast:7b21e25a84ece89208cf0001043b32cfaf34e1cf2655ccb308611fb2803e8079');
  });

  it('changes the fast hash but not the full hash when only the mtime changes', async () => {
    const file = await write('data.csv', 'a,b\n1,2\n');
    await fs.utimes(file, 1_700_000_000, 1_700_000_000);
    const before = { fast: await hashFile(file, 'fast'), full: await hashFile(file, 'full') };

    await fs.utimes(file, 1_700_000_100, 1_700_000_100);

    expect(await hashFile(file, 'fast')).not.toBe(before.fast);
    expect(await hashFile(file, 'full')).toBe(before.full);
  });

  it('rejects with ENOENT when the file does not exist', async () => {
    const missing = path.join(dir, 'missing.csv');

    await expect(hashFile(missing, 'full')).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(hashFile(missing, 'fast')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('hashPath', () => {
  async function makeTree(): Promise<string> {
    await write('tree/a.txt', 'A');
    await write('tree/sub/b.txt', 'B');
    await write('tree/sub/deeper/.hidden', 'H');
    return path.join(dir, 'tree');
  }

  it('hashes a file like hashFile when given a file', async () => {
    const file = await write('x.txt', 'x');

    expect(await hashPath(file, 'full')).toBe(await hashFile(file, 'full'));
  });

  it('matches the fixed golden value when given a fixed directory tree', async () => {
    const tree = await makeTree();

    expect(await hashPath(tree, 'full')).toBe('sha256:2349c52e9fafc9e395d9feab99ef02c50fd86fd3fa34df7c5b820afc22adfd7e');
  });

  it('changes when a file inside is renamed', async () => {
    const tree = await makeTree();
    const before = await hashPath(tree, 'full');

    await fs.rename(path.join(tree, 'sub/b.txt'), path.join(tree, 'sub/c.txt'));

    expect(await hashPath(tree, 'full')).not.toBe(before);
  });

  it('changes when a file moves to another folder under the same name', async () => {
    const tree = await makeTree();
    const before = await hashPath(tree, 'full');

    await fs.mkdir(path.join(tree, 'other'));
    await fs.rename(path.join(tree, 'sub/b.txt'), path.join(tree, 'other/b.txt'));

    expect(await hashPath(tree, 'full')).not.toBe(before);
  });

  it('changes when a dotfile changes, since nothing is skipped', async () => {
    const tree = await makeTree();
    const before = await hashPath(tree, 'full');

    await fs.writeFile(path.join(tree, 'sub/deeper/.hidden'), 'changed');

    expect(await hashPath(tree, 'full')).not.toBe(before);
  });

  it('does not depend on where the directory lives when its contents are equal', async () => {
    const tree = await makeTree();
    const copy = path.join(dir, 'copy');
    await fs.cp(tree, copy, { recursive: true });

    expect(await hashPath(copy, 'full')).toBe(await hashPath(tree, 'full'));
  });

  it('uses fast file hashes and the fast: prefix when mode is fast', async () => {
    const tree = await makeTree();
    const fast = await hashPath(tree, 'fast');
    await fs.utimes(path.join(tree, 'a.txt'), 1_700_000_000, 1_700_000_000);

    expect(fast.startsWith('fast:')).toBe(true);
    expect(await hashPath(tree, 'fast')).not.toBe(fast);
  });

  it('distinguishes an empty directory from an empty file', async () => {
    await fs.mkdir(path.join(dir, 'empty-dir'));
    const file = await write('empty-file', '');

    expect(await hashPath(path.join(dir, 'empty-dir'), 'full')).not.toBe(await hashPath(file, 'full'));
  });

  it('rejects with ENOENT when the path does not exist', async () => {
    await expect(hashPath(path.join(dir, 'nope'), 'full')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
