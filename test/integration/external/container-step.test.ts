import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import * as path from 'node:path';
import { ConsistError } from '../../../src/index';
import type { Tracker } from '../../../src/index';
import type { RunContainerOptions } from '../../../src/index';
import { describeWithPodman, podmanTestOptions, TEST_CONTAINERS_CONF, TEST_IMAGE } from '../../helpers/podman';
import { openTestTracker, tmpWorkspace, type Workspace } from '../../helpers/workspace';

async function caught(p: Promise<unknown>): Promise<ConsistError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(ConsistError);
  return e as ConsistError;
}

function podmanCli(args: string[]): void {
  const r = spawnSync('podman', ['--cgroup-manager=cgroupfs', '--runtime', 'runc', ...args], {
    env: { ...process.env, CONTAINERS_CONF: TEST_CONTAINERS_CONF }, encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`podman ${args.join(' ')} failed: ${r.stderr}`);
}

describe('tracker.runContainer without an engine', () => {
  let ws: Workspace;
  let tracker: Tracker;
  beforeEach(async () => {
    ws = tmpWorkspace('consist-ctr-');
    tracker = await openTestTracker(ws);
  });
  afterEach(async () => {
    await tracker.close();
    ws.cleanup();
  });

  it('rejects an unknown backend with CONTAINER_BACKEND_UNAVAILABLE before any run is recorded', async () => {
    const e = await caught(tracker.runContainer({ image: 'x:1', backend: 'lxc' as never, command: ['true'] }));
    expect(e.code).toBe('CONTAINER_BACKEND_UNAVAILABLE');
    expect(await tracker.findRuns({})).toEqual([]);
  });

  it('reports a missing backend binary with CONTAINER_BACKEND_UNAVAILABLE and the fix', async () => {
    const e = await caught(tracker.runContainer({
      image: 'x:1', backend: 'podman', backendOptions: { binary: ws.path('no-such-podman') }, command: ['true'],
    }));
    expect(e.code).toBe('CONTAINER_BACKEND_UNAVAILABLE');
    expect(e.message).toContain('Fix: install podman');
    expect(await tracker.findRuns({})).toEqual([]);
  });

  it('rejects a host volume that does not exist with CONFIGURATION_INVALID', async () => {
    const e = await caught(tracker.runContainer({ image: 'x:1', backend: 'podman', command: ['true'], volumes: { [ws.path('nope')]: '/data' } }));
    expect(e.code).toBe('CONFIGURATION_INVALID');
  });
});

describeWithPodman('tracker.runContainer (real podman, local busybox image)', () => {
  const altImage = `localhost/consist-busybox:alt-${process.pid}`;
  const retagged = `localhost/consist-busybox:retag-${process.pid}`;
  let ws: Workspace;
  let tracker: Tracker;
  let dataDir: string;
  let stateDir: string;

  beforeAll(() => {
    const ctx = tmpWorkspace('consist-ctr-build-');
    try {
      const containerfile = ctx.file('Containerfile', `FROM ${TEST_IMAGE}\nLABEL consist.test=alt\n`);
      podmanCli(['build', '-q', '-t', altImage, '-f', containerfile, ctx.dir]);
      podmanCli(['tag', TEST_IMAGE, retagged]);
    } finally {
      ctx.cleanup();
    }
  });
  afterAll(() => {
    podmanCli(['rmi', altImage, retagged]);
  });
  beforeEach(async () => {
    ws = tmpWorkspace('consist-ctr-');
    ws.file('data/input.csv', 'id,value\n1,2\n');
    ws.file('state/.keep', '');
    ws.file('extra/.keep', '');
    dataDir = ws.path('data');
    stateDir = ws.path('state');
    tracker = await openTestTracker(ws);
  });
  afterEach(async () => {
    await tracker.close();
    ws.cleanup();
  });

  /** Counts every real container start in /state/count, and copies /data/input.csv to /state/result.csv. */
  function copyStep(overrides: Partial<RunContainerOptions> = {}): RunContainerOptions {
    return {
      name: 'copy', image: TEST_IMAGE, backend: 'podman', backendOptions: podmanTestOptions(),
      command: ['sh', '-c', 'echo ran >> /state/count; echo "copying $MODE"; cat /data/input.csv > /state/result.csv'],
      volumes: { [dataDir]: '/data', [stateDir]: '/state' }, env: { MODE: 'plain' },
      inputs: [path.join(dataDir, 'input.csv')], outputs: { result: path.join(stateDir, 'result.csv') },
      ...overrides,
    };
  }
  const starts = () => {
    const file = path.join(stateDir, 'count');
    return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;
  };

  it('misses, then hits on the same call without starting a container', async () => {
    const first = await tracker.runContainer(copyStep());
    expect(first.cacheHit).toBe(false);
    expect(readFileSync(first.outputs.result.path, 'utf8')).toBe('id,value\n1,2\n');
    expect(readFileSync(path.join(tracker.runDir, first.run.id, 'stdout.log'), 'utf8')).toBe('copying plain\n');
    const second = await tracker.runContainer(copyStep());
    expect(second.cacheHit).toBe(true);
    expect(second.run.reusedRunId).toBe(first.run.id);
    expect(starts()).toBe(1);
  });

  it("shares its cache with the tracker.run({ executor: 'container' }) form", async () => {
    await tracker.runContainer(copyStep());
    const r = await tracker.run({ executor: 'container', ...copyStep() });
    expect(r.cacheHit).toBe(true);
    expect(starts()).toBe(1);
  });

  it('misses when the image digest changes, and hits for the same image under another tag', async () => {
    await tracker.runContainer(copyStep());
    expect((await tracker.runContainer(copyStep({ image: retagged }))).cacheHit).toBe(true);
    const r = await tracker.runContainer(copyStep({ image: altImage }));
    expect(r.cacheHit).toBe(false);
    expect(r.cacheMissReason?.reason).toBe('code_changed');
    expect(starts()).toBe(2);
  });

  it('misses when the command changes', async () => {
    await tracker.runContainer(copyStep());
    const cmd = [...copyStep().command];
    cmd[2] = `${cmd[2]}; true`;
    const r = await tracker.runContainer(copyStep({ command: cmd }));
    expect(r.cacheHit).toBe(false);
    expect(r.cacheMissReason?.details.configKeysChanged).toEqual(['container.command[2]']);
  });

  it('misses when an env entry changes', async () => {
    await tracker.runContainer(copyStep());
    const r = await tracker.runContainer(copyStep({ env: { MODE: 'fast' } }));
    expect(r.cacheHit).toBe(false);
    expect(r.cacheMissReason?.details.configKeysChanged).toEqual(['container.env.MODE']);
    expect(readFileSync(path.join(tracker.runDir, r.run.id, 'stdout.log'), 'utf8')).toBe('copying fast\n');
  });

  it('misses when a container-side mount point or the workdir changes', async () => {
    await tracker.runContainer(copyStep());
    const mounts = await tracker.runContainer(copyStep({ volumes: { ...copyStep().volumes, [ws.path('extra')]: '/extra' } }));
    expect(mounts.cacheHit).toBe(false);
    expect(mounts.cacheMissReason?.details.configKeysChanged).toEqual(['container.mounts[1]', 'container.mounts[2]']);
    const workdir = await tracker.runContainer(copyStep({ workdir: '/state' }));
    expect(workdir.cacheHit).toBe(false);
    expect(starts()).toBe(3);
  });

  it('hits after the host folder is moved (same content, same container paths)', async () => {
    await tracker.runContainer(copyStep());
    const moved = ws.path('moved-data');
    renameSync(dataDir, moved);
    const r = await tracker.runContainer(copyStep({ volumes: { [moved]: '/data', [stateDir]: '/state' }, inputs: [path.join(moved, 'input.csv')] }));
    expect(r.cacheHit).toBe(true);
    expect(starts()).toBe(1);
  });

  it('fails with CONTAINER_IMAGE_NOT_FOUND for an image that is not present, before any run is recorded', async () => {
    const e = await caught(tracker.runContainer(copyStep({ image: 'localhost/consist-no-such-image:never' })));
    expect(e.code).toBe('CONTAINER_IMAGE_NOT_FOUND');
    expect(await tracker.findRuns({})).toEqual([]);
  });

  it('fails with COMMAND_FAILED on a non-zero container exit and records the run failed', async () => {
    const e = await caught(tracker.runContainer(copyStep({ name: 'broken', command: ['sh', '-c', 'echo container-boom >&2; exit 7'] })));
    expect(e.code).toBe('COMMAND_FAILED');
    expect(e.message).toContain('code 7');
    expect(e.message).toContain('container-boom');
    expect((await tracker.findRuns({ name: 'broken' })).map((r) => r.status)).toEqual(['failed']);
  });
});
