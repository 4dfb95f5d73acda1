import { containerIdentity, type ContainerSpec } from '../../../src/index';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const base: Pick<ContainerSpec, 'command' | 'env' | 'volumes' | 'workdir'> = {
  command: ['python', 'run.py', '--year', '2030'],
  env: { SEED: '1', THREADS: '4' },
  volumes: { '/data/inputs': '/inputs', '/data/outputs': '/outputs' },
};

describe('containerIdentity', () => {
  it('is a plain, stable JSON value with sorted env and mounts', () => {
    const id = containerIdentity(base, DIGEST, 'podman');
    expect(id).toEqual({
      backend: 'podman', imageDigest: DIGEST, command: ['python', 'run.py', '--year', '2030'],
      env: [['SEED', '1'], ['THREADS', '4']], mounts: ['/inputs', '/outputs'], workdir: null,
    });
    expect(JSON.parse(JSON.stringify(id))).toEqual(id);
    const reordered = { ...base, env: { THREADS: '4', SEED: '1' }, volumes: { '/data/outputs': '/outputs/', '/data/inputs': '/inputs' } };
    expect(containerIdentity(reordered, DIGEST, 'podman')).toEqual(id);
  });

  it('excludes host paths: moving the data keeps the identity', () => {
    const moved = { ...base, volumes: { '/scratch/u1/in': '/inputs', '/scratch/u1/out': '/outputs' } };
    expect(containerIdentity(moved, DIGEST, 'podman')).toEqual(containerIdentity(base, DIGEST, 'podman'));
  });

  it.each([
    ['image digest', base, `sha256:${'b'.repeat(64)}`, 'podman'],
    ['command', { ...base, command: ['python', 'run.py', '--year', '2040'] }, DIGEST, 'podman'],
    ['env value', { ...base, env: { SEED: '2', THREADS: '4' } }, DIGEST, 'podman'],
    ['container-side mount', { ...base, volumes: { '/data/inputs': '/in', '/data/outputs': '/outputs' } }, DIGEST, 'podman'],
    ['workdir', { ...base, workdir: '/inputs' }, DIGEST, 'podman'],
    ['backend', base, DIGEST, 'docker'],
  ] as const)('changes with the %s', (_what, spec, digest, backend) => {
    expect(containerIdentity(spec, digest, backend)).not.toEqual(containerIdentity(base, DIGEST, 'podman'));
  });
});
