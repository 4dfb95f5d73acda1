import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { containerIdentity, type ContainerSpec } from '../../../src/index';
import { PodmanBackend } from '../../../src/index';
import { ExecutionError } from '../../../src/index';
import { describeWithPodman, podmanTestOptions, TEST_CONTAINERS_CONF, TEST_IMAGE } from '../../helpers/podman';

function podmanCli(...args: string[]): string {
  const r = spawnSync('podman', ['--cgroup-manager=cgroupfs', '--runtime', 'runc', ...args], {
    env: { ...process.env, CONTAINERS_CONF: TEST_CONTAINERS_CONF }, encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`podman ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim();
}

async function caught(p: Promise<unknown>): Promise<ExecutionError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(ExecutionError);
  return e as ExecutionError;
}

describeWithPodman('PodmanBackend (real podman, local busybox image)', () => {
  let podman: PodmanBackend;
  let dir: string;

  beforeAll(async () => {
    podman = await PodmanBackend.create(podmanTestOptions());
  });
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'consist-podman-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  function spec(overrides: Partial<ContainerSpec> = {}): ContainerSpec {
    return {
      image: TEST_IMAGE, command: ['/bin/sh', '-c', 'echo "$MSG" > /out/result.txt; echo done; echo warn >&2'],
      volumes: { [path.join(dir, 'out')]: '/out' }, env: { MSG: 'hello from busybox' },
      stdoutPath: path.join(dir, 'run', 'stdout.txt'), stderrPath: path.join(dir, 'run', 'stderr.txt'), ...overrides,
    };
  }

  it('is available', async () => {
    expect(await podman.available()).toBe(true);
  });

  it('resolves the image digest, not the tag', async () => {
    const digest = await podman.imageDigest(TEST_IMAGE);
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(digest).toBe(podmanCli('image', 'inspect', TEST_IMAGE, '--format', '{{.Digest}}'));
  });

  it('runs a container that writes into a mounted host folder', async () => {
    await fs.mkdir(path.join(dir, 'out'));
    const started = Date.now();
    const r = await podman.run(spec());
    console.info(`podman run of ${TEST_IMAGE} took ${Date.now() - started} ms`);
    expect(r.exitCode).toBe(0);
    expect(await fs.readFile(path.join(dir, 'out', 'result.txt'), 'utf8')).toBe('hello from busybox\n');
    expect(await fs.readFile(path.join(dir, 'run', 'stdout.txt'), 'utf8')).toBe('done\n');
    expect(await fs.readFile(path.join(dir, 'run', 'stderr.txt'), 'utf8')).toContain('warn');
  });

  it('honours workdir and isolates the network', async () => {
    await fs.mkdir(path.join(dir, 'out'));
    await podman.run(spec({ workdir: '/out', command: ['/bin/sh', '-c', 'echo here > rel.txt; cat /proc/net/dev > net.txt'] }));
    expect(await fs.readFile(path.join(dir, 'out', 'rel.txt'), 'utf8')).toBe('here\n');
    const interfaces = (await fs.readFile(path.join(dir, 'out', 'net.txt'), 'utf8')).split('\n').slice(2).filter(Boolean);
    expect(interfaces.map((l) => l.trim().split(':')[0])).toEqual(['lo']);
  });

  it('throws COMMAND_FAILED with the container stderr on a non-zero exit', async () => {
    await fs.mkdir(path.join(dir, 'out'));
    const e = await caught(podman.run(spec({ command: ['/bin/sh', '-c', 'echo "model diverged" >&2; exit 4'] })));
    expect(e.code).toBe('COMMAND_FAILED');
    expect(e.message).toMatch(/exited with code 4/);
    expect(e.message).toContain('model diverged');
    const allowed = await podman.run(spec({ command: ['/bin/sh', '-c', 'exit 4'], allowNonZeroExit: true }));
    expect(allowed.exitCode).toBe(4);
  });

  it('throws CONTAINER_IMAGE_NOT_FOUND for a missing image, from inspect and from run', async () => {
    expect((await caught(podman.imageDigest('localhost/consist-no-such-image:1'))).code).toBe('CONTAINER_IMAGE_NOT_FOUND');
    await fs.mkdir(path.join(dir, 'out'));
    const e = await caught(podman.run(spec({ image: 'localhost/consist-no-such-image:1' })));
    expect(e.code).toBe('CONTAINER_IMAGE_NOT_FOUND');
  });

  it('throws CONTAINER_BACKEND_UNAVAILABLE when the podman binary is missing', async () => {
    const missing = await PodmanBackend.create({ ...podmanTestOptions(), env: { PATH: dir } });
    expect(await missing.available()).toBe(false);
    const e = await caught(missing.imageDigest(TEST_IMAGE));
    expect(e.code).toBe('CONTAINER_BACKEND_UNAVAILABLE');
    expect(e.message).toContain('apt-get install -y podman runc');
  });

  it('gives the same identity for a moved host folder and the same digest for another tag', async () => {
    const alias = `localhost/consist-busybox:alias-${process.pid}`;
    podmanCli('tag', TEST_IMAGE, alias);
    try {
      const a = containerIdentity(spec(), await podman.imageDigest(TEST_IMAGE), 'podman');
      const moved = spec({ volumes: { [path.join(dir, 'elsewhere')]: '/out' } });
      const b = containerIdentity(moved, await podman.imageDigest(alias), 'podman');
      expect(b).toEqual(a);
    } finally {
      podmanCli('rmi', alias);
    }
  });

  it('gives a different identity for a different image', async () => {
    const other = `localhost/consist-busybox-other:${process.pid}`;
    const rootfs = path.join(dir, 'rootfs');
    await fs.mkdir(path.join(rootfs, 'bin'), { recursive: true });
    await fs.writeFile(path.join(rootfs, 'marker'), `${Date.now()}`);
    await fs.copyFile('/bin/busybox', path.join(rootfs, 'bin', 'busybox'));
    spawnSync('tar', ['-C', rootfs, '-cf', path.join(dir, 'img.tar'), '.']);
    podmanCli('import', '--quiet', path.join(dir, 'img.tar'), other);
    try {
      const a = containerIdentity(spec(), await podman.imageDigest(TEST_IMAGE), 'podman');
      const b = containerIdentity(spec(), await podman.imageDigest(other), 'podman');
      expect(b.imageDigest).not.toBe(a.imageDigest);
      expect(b).not.toEqual(a);
    } finally {
      podmanCli('rmi', other);
    }
  });
});
