import { container as rootContainer, injectable } from 'tsyringe';
import { ArtifactStore, Materializer, Tracker, ViewFactory, registerConsist } from '../../../src/index';
import { memoryLogger, tmpWorkspace } from '../../helpers/workspace';

@injectable()
class ReportService {
  constructor(readonly tracker: Tracker) {}
  async completedRuns(): Promise<number> {
    return (await this.tracker.findRuns({ status: 'completed' })).length;
  }
}

describe('registerConsist', () => {
  it('registers a configured Tracker that app services receive by constructor injection', async () => {
    const ws = tmpWorkspace();
    const c = rootContainer.createChildContainer();
    const tracker = await registerConsist(c, { runDir: ws.path('runs'), logger: memoryLogger(), codeIdentity: 'class-source' });
    try {
      await tracker.startRun('one', {}, async () => undefined);
      const svc = c.resolve(ReportService);
      expect(svc.tracker).toBe(tracker);
      expect(await svc.completedRuns()).toBe(1);
      expect(c.resolve(ArtifactStore)).toBeInstanceOf(ArtifactStore);
      expect(c.resolve(ViewFactory)).toBeInstanceOf(ViewFactory);
      expect(c.resolve(Materializer)).toBeInstanceOf(Materializer);
      expect(rootContainer.isRegistered(Tracker)).toBe(false);
    } finally {
      await tracker.close();
      ws.cleanup();
    }
  });

  it('Tracker.open never registers on the root container', async () => {
    const ws = tmpWorkspace();
    const tracker = await Tracker.open({ runDir: ws.path('runs'), logger: memoryLogger() });
    try {
      expect(rootContainer.isRegistered(Tracker)).toBe(false);
    } finally {
      await tracker.close();
      ws.cleanup();
    }
  });

  it('validates options before registering anything', async () => {
    const c = rootContainer.createChildContainer();
    await expect(registerConsist(c, { runDir: 42 } as never)).rejects.toMatchObject({ code: 'CONFIGURATION_INVALID' });
    expect(c.isRegistered(Tracker)).toBe(false);
  });
});
