import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApptainerBackend } from '../../../src/index';
import { createBackend, isContainerBackendName } from '../../../src/index';
import { DockerBackend } from '../../../src/index';
import { PodmanBackend } from '../../../src/index';
import { ConfigurationError } from '../../../src/index';
import { ContainerBackendError, ExecutionError } from '../../../src/index';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'consist-backends-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function caught(p: Promise<unknown>): Promise<Error> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(Error);
  return e as Error;
}

/** A stand-in CLI that records its argv (one per line) and then runs `body`. */
async function fakeCli(name: string, body: string): Promise<string> {
  const bin = path.join(dir, 'bin');
  await fs.mkdir(bin, { recursive: true });
  await fs.writeFile(path.join(bin, name), `#!/bin/sh\nprintf '%s\\n' "$@" > "${dir}/args.txt"\n${body}\n`, { mode: 0o755 });
  return path.join(bin, name);
}

const args = async () => (await fs.readFile(path.join(dir, 'args.txt'), 'utf8')).trimEnd().split('\n');
const DIGEST = `sha256:${'c'.repeat(64)}`;

describe('createBackend', () => {
  it('builds each supported backend', async () => {
    expect(await createBackend('docker')).toBeInstanceOf(DockerBackend);
    expect(await createBackend('podman', { containersConf: false })).toBeInstanceOf(PodmanBackend);
    expect(await createBackend('apptainer')).toBeInstanceOf(ApptainerBackend);
    expect(isContainerBackendName('podman')).toBe(true);
    expect(isContainerBackendName('lxc')).toBe(false);
  });

  it('throws CONTAINER_BACKEND_UNAVAILABLE for an unknown backend name', async () => {
    const e = await caught(createBackend('lxc'));
    expect(e).toBeInstanceOf(ContainerBackendError);
    expect((e as ContainerBackendError).code).toBe('CONTAINER_BACKEND_UNAVAILABLE');
    expect(e.message).toMatch(/docker, podman, apptainer/);
  });

  it.each(['docker', 'podman', 'apptainer'] as const)('reports a missing %s binary with a fix', async (name) => {
    const backend = await createBackend(name, { binary: 'consist-missing-engine-xyz' });
    expect(await backend.available()).toBe(false);
    const e = await caught(backend.imageDigest('anything:1'));
    expect((e as ExecutionError).code).toBe('CONTAINER_BACKEND_UNAVAILABLE');
    expect(e.message).toMatch(/Fix: /);
  });
});

describe('DockerBackend (fake CLI)', () => {
  it('resolves the digest with image inspect --format {{.Id}}', async () => {
    const bin = await fakeCli('docker', `echo ${DIGEST}`);
    expect(await new DockerBackend({ binary: bin }).imageDigest('model:v2')).toBe(DIGEST);
    expect(await args()).toEqual(['image', 'inspect', '--format', '{{.Id}}', 'model:v2']);
  });

  it('is unavailable when the daemon does not answer', async () => {
    const bin = await fakeCli('docker', 'echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock." >&2; exit 1');
    const docker = new DockerBackend({ binary: bin });
    expect(await docker.available()).toBe(false);
    const e = await caught(docker.imageDigest('model:v2'));
    expect((e as ExecutionError).code).toBe('CONTAINER_BACKEND_UNAVAILABLE');
    expect(e.message).toContain('Cannot connect to the Docker daemon');
  });

  it('maps "No such image" to CONTAINER_IMAGE_NOT_FOUND', async () => {
    const bin = await fakeCli('docker', 'echo "Error response from daemon: No such image: model:v9" >&2; exit 1');
    const e = await caught(new DockerBackend({ binary: bin }).imageDigest('model:v9'));
    expect((e as ExecutionError).code).toBe('CONTAINER_IMAGE_NOT_FOUND');
  });

  it('runs with --rm --pull=never --network none, -v mounts, -e env and -w workdir', async () => {
    const bin = await fakeCli('docker', 'echo container-out; echo container-err >&2');
    await fs.mkdir(path.join(dir, 'in'));
    const r = await new DockerBackend({ binary: bin }).run({
      image: 'model:v2', command: ['python', 'run.py'], volumes: { [path.join(dir, 'in')]: '/inputs' },
      env: { YEAR: '2030' }, workdir: '/inputs', stdoutPath: path.join(dir, 'o.txt'), stderrPath: path.join(dir, 'e.txt'),
    });
    expect(r.exitCode).toBe(0);
    expect(await args()).toEqual(['run', '--rm', '--pull=never', '--network', 'none', '-v', `${path.join(dir, 'in')}:/inputs`,
      '-e', 'YEAR=2030', '-w', '/inputs', 'model:v2', 'python', 'run.py']);
    expect(await fs.readFile(path.join(dir, 'o.txt'), 'utf8')).toBe('container-out\n');
  });
});

describe('container spec validation', () => {
  it.each([
    ['a relative container path', { volumes: { '/tmp': 'inputs' } }],
    ['a missing host path', { volumes: { '/consist/no/such/dir': '/inputs' } }],
    ['an empty command', { command: [] }],
    ['a relative workdir', { workdir: 'work' }],
  ])('rejects %s before running anything', async (_what, overrides) => {
    const bin = await fakeCli('docker', 'exit 0');
    const e = await caught(new DockerBackend({ binary: bin }).run({
      image: 'model:v2', command: ['true'], stdoutPath: path.join(dir, 'o'), stderrPath: path.join(dir, 'e'), ...overrides,
    }));
    expect(e).toBeInstanceOf(ConfigurationError);
    await expect(fs.stat(path.join(dir, 'args.txt'))).rejects.toThrow();
  });
});

describe('ApptainerBackend (fake CLI)', () => {
  it('uses the sha256 of the .sif file as digest and exec --bind/--env/--pwd to run', async () => {
    const bin = await fakeCli('apptainer', 'echo ran');
    const sif = path.join(dir, 'model.sif');
    await fs.writeFile(sif, 'not really an image');
    await fs.mkdir(path.join(dir, 'out'));
    const apptainer = new ApptainerBackend({ binary: bin });
    const expected = `sha256:${createHash('sha256').update('not really an image').digest('hex')}`;
    expect(await apptainer.imageDigest(sif)).toBe(expected);
    await apptainer.run({ image: sif, command: ['sh', '-c', 'echo hi'], volumes: { [path.join(dir, 'out')]: '/out' },
      env: { A: '1' }, workdir: '/out', stdoutPath: path.join(dir, 'o'), stderrPath: path.join(dir, 'e') });
    expect(await args()).toEqual(['exec', '--contain', '--cleanenv', '--bind', `${path.join(dir, 'out')}:/out`,
      '--env', 'A=1', '--pwd', '/out', sif, 'sh', '-c', 'echo hi']);
  });

  it('throws CONTAINER_IMAGE_NOT_FOUND for a missing .sif or a remote reference', async () => {
    const apptainer = new ApptainerBackend({ binary: await fakeCli('apptainer', 'exit 0') });
    expect(((await caught(apptainer.imageDigest(path.join(dir, 'none.sif')))) as ExecutionError).code).toBe('CONTAINER_IMAGE_NOT_FOUND');
    const remote = await caught(apptainer.imageDigest('docker://python:3.12'));
    expect((remote as ExecutionError).code).toBe('CONTAINER_IMAGE_NOT_FOUND');
    expect(remote.message).toContain('apptainer pull');
  });

  it('throws COMMAND_FAILED when the container exits non-zero', async () => {
    const apptainer = new ApptainerBackend({ binary: await fakeCli('apptainer', 'echo boom >&2; exit 2') });
    const sif = path.join(dir, 'model.sif');
    await fs.writeFile(sif, 'x');
    const e = await caught(apptainer.run({ image: sif, command: ['x'], stdoutPath: path.join(dir, 'o'), stderrPath: path.join(dir, 'e') }));
    expect((e as ExecutionError).code).toBe('COMMAND_FAILED');
    expect(e.message).toContain('boom');
  });
});
