import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { CacheError } from '../../../src/errors';
import { clearCodeIdentityCache, resolveCodeIdentity, sha256Hex } from '../../../src/identity';

const exec = promisify(execFile);

let dir: string;

async function git(...args: string[]): Promise<string> {
  const identity = ['-c', 'user.email=a@b', '-c', 'user.name=x', '-c', 'commit.gpgsign=false'];
  return (await exec('git', ['-C', dir, ...identity, ...args])).stdout.trim();
}

async function commitAll(message: string): Promise<string> {
  await git('add', '-A');
  await git('commit', '-q', '-m', message);
  return git('rev-parse', 'HEAD');
}

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'consist-code-'));
  clearCodeIdentityCache();
});

afterEach(async () => {
  clearCodeIdentityCache();
  await fs.rm(dir, { recursive: true, force: true });
});

class StepBase {
  describe(): string {
    return 'library base';
  }
}
class CleanData extends StepBase {
  run(): number {
    return 1;
  }
}

describe('resolveCodeIdentity in git mode', () => {
  beforeEach(async () => {
    await git('init', '-q');
    await fs.writeFile(path.join(dir, 'step.ts'), 'export const a = 1;\n');
  });

  it('uses HEAD when the working tree is clean', async () => {
    const head = await commitAll('first');

    const identity = await resolveCodeIdentity({ mode: 'git', cwd: dir });

    expect(identity).toEqual({ mode: 'git', hash: `git:${head}`, fellBack: false, detail: `git HEAD ${head}` });
  });

  it('changes when HEAD moves to a new commit', async () => {
    await commitAll('first');
    const before = await resolveCodeIdentity({ mode: 'git', cwd: dir });
    await fs.writeFile(path.join(dir, 'step.ts'), 'export const a = 2;\n');
    await commitAll('second');
    clearCodeIdentityCache();

    const after = await resolveCodeIdentity({ mode: 'git', cwd: dir });

    expect(after.hash).not.toBe(before.hash);
  });

  it('keeps the per-process value when the cache is not cleared', async () => {
    await commitAll('first');
    const before = await resolveCodeIdentity({ mode: 'git', cwd: dir });
    await fs.writeFile(path.join(dir, 'step.ts'), 'export const a = 2;\n');

    expect((await resolveCodeIdentity({ mode: 'git', cwd: dir })).hash).toBe(before.hash);
  });

  it('adds a digest of the diff when a tracked file has uncommitted changes', async () => {
    const head = await commitAll('first');
    await fs.writeFile(path.join(dir, 'step.ts'), 'export const a = 3;\n');

    const dirty = await resolveCodeIdentity({ mode: 'git', cwd: dir });

    expect(dirty.hash).toMatch(new RegExp(`^git:${head}\\+dirty:[0-9a-f]{64}$`));
    expect(dirty.detail).toContain('uncommitted');
  });

  it('changes the dirty digest when the uncommitted change differs', async () => {
    await commitAll('first');
    await fs.writeFile(path.join(dir, 'step.ts'), 'export const a = 3;\n');
    const first = await resolveCodeIdentity({ mode: 'git', cwd: dir });
    await fs.writeFile(path.join(dir, 'step.ts'), 'export const a = 4;\n');
    clearCodeIdentityCache();

    expect((await resolveCodeIdentity({ mode: 'git', cwd: dir })).hash).not.toBe(first.hash);
  });

  it('counts staged changes when they are not committed yet', async () => {
    const head = await commitAll('first');
    await fs.writeFile(path.join(dir, 'step.ts'), 'export const a = 5;\n');
    await git('add', 'step.ts');

    expect((await resolveCodeIdentity({ mode: 'git', cwd: dir })).hash).not.toBe(`git:${head}`);
  });

  it('ignores untracked files when the tree is otherwise clean', async () => {
    const head = await commitAll('first');
    await fs.writeFile(path.join(dir, 'scratch.ts'), 'export const b = 1;\n');

    expect((await resolveCodeIdentity({ mode: 'git', cwd: dir })).hash).toBe(`git:${head}`);
  });

  it('resolves the same identity when cwd is a subfolder of the repository', async () => {
    await fs.mkdir(path.join(dir, 'sub'));
    await fs.writeFile(path.join(dir, 'sub', 'x.ts'), 'x\n');
    await commitAll('first');
    await fs.writeFile(path.join(dir, 'step.ts'), 'export const a = 9;\n');

    const root = await resolveCodeIdentity({ mode: 'git', cwd: dir });
    const sub = await resolveCodeIdentity({ mode: 'git', cwd: path.join(dir, 'sub') });

    expect(sub.hash).toBe(root.hash);
  });

  it('falls back to class-source when the repository has no commit yet', async () => {
    const identity = await resolveCodeIdentity({ mode: 'git', cwd: dir, target: CleanData });

    expect(identity.mode).toBe('class-source');
    expect(identity.fellBack).toBe(true);
  });
});

describe('resolveCodeIdentity outside git', () => {
  it('falls back to class-source and records it when cwd is not a repository', async () => {
    const identity = await resolveCodeIdentity({ mode: 'git', cwd: dir, target: CleanData, stopAt: [StepBase] });
    const direct = await resolveCodeIdentity({ mode: 'class-source', target: CleanData, stopAt: [StepBase] });

    expect(identity.mode).toBe('class-source');
    expect(identity.fellBack).toBe(true);
    expect(identity.hash).toBe(direct.hash);
    expect(identity.detail).toContain('git unavailable');
    expect(direct.fellBack).toBe(false);
  });

  it('throws CODE_IDENTITY_UNAVAILABLE when there is no target to fall back to', async () => {
    const attempt = resolveCodeIdentity({ mode: 'git', cwd: dir });

    await expect(attempt).rejects.toBeInstanceOf(CacheError);
    await expect(resolveCodeIdentity({ mode: 'git', cwd: dir })).rejects.toMatchObject({ code: 'CODE_IDENTITY_UNAVAILABLE' });
  });

  it('throws CODE_IDENTITY_UNAVAILABLE when class-source is asked for without a target', async () => {
    await expect(resolveCodeIdentity({ mode: 'class-source' })).rejects.toMatchObject({ code: 'CODE_IDENTITY_UNAVAILABLE' });
  });
});

describe('resolveCodeIdentity in class-source mode', () => {
  const makeStep = (Base: new () => object) =>
    class Step extends Base {
      run(): number {
        return 1;
      }
    };
  class BaseOne {
    one(): number {
      return 1;
    }
  }
  class BaseTwo {
    two(): number {
      return 2;
    }
  }

  it('hashes the base classes when they are not in stopAt', async () => {
    const one = await resolveCodeIdentity({ mode: 'class-source', target: makeStep(BaseOne) });
    const two = await resolveCodeIdentity({ mode: 'class-source', target: makeStep(BaseTwo) });

    expect(one.hash).toMatch(/^class-source:[0-9a-f]{64}$/);
    expect(one.hash).not.toBe(two.hash);
  });

  it('stops at library base classes when they are in stopAt', async () => {
    const stopAt = [BaseOne, BaseTwo];
    const one = await resolveCodeIdentity({ mode: 'class-source', target: makeStep(BaseOne), stopAt });
    const two = await resolveCodeIdentity({ mode: 'class-source', target: makeStep(BaseTwo), stopAt });

    expect(one.hash).toBe(two.hash);
  });

  it('differs between two classes when their source differs', async () => {
    const a = await resolveCodeIdentity({ mode: 'class-source', target: CleanData, stopAt: [StepBase] });
    const b = await resolveCodeIdentity({ mode: 'class-source', target: StepBase });

    expect(a.hash).not.toBe(b.hash);
  });

  it('hashes a plain function when the target is a function', async () => {
    const fn = async (): Promise<number> => 42;

    const identity = await resolveCodeIdentity({ mode: 'class-source', target: fn });

    expect(identity).toMatchObject({ mode: 'class-source', fellBack: false });
  });

  it('throws CODE_IDENTITY_UNAVAILABLE when the target is a bound function', async () => {
    const bound = function run(): number {
      return 1;
    }.bind(null);

    await expect(resolveCodeIdentity({ mode: 'class-source', target: bound })).rejects.toMatchObject({
      code: 'CODE_IDENTITY_UNAVAILABLE',
    });
  });
});

describe('resolveCodeIdentity with a pinned version', () => {
  it('wins over git and class-source when a version is pinned', async () => {
    const viaGit = await resolveCodeIdentity({ mode: 'git', cwd: dir, pinned: '2' });
    const viaSource = await resolveCodeIdentity({ mode: 'class-source', target: CleanData, pinned: '2' });

    expect(viaGit).toEqual({ mode: 'pinned', hash: `pinned:${sha256Hex('2')}`, fellBack: false, detail: "codeVersion '2'" });
    expect(viaSource).toEqual(viaGit);
  });

  it('ignores a null pin when resolving', async () => {
    const identity = await resolveCodeIdentity({ mode: 'class-source', target: CleanData, pinned: null });

    expect(identity.mode).toBe('class-source');
  });
});
