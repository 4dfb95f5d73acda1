import type { DependencyContainer } from 'tsyringe';
import { composeServices } from '../di/compose-services';
import { ArtifactStore } from '../artifacts/artifact-store';
import type { TrackerOptions } from '../recording/tracker-options';
import { Materializer } from '../materialize/materializer';
import { ViewFactory } from '../views/view-factory';
import { Tracker } from './tracker';

/**
 * Registers a configured {@link Tracker} (and its `ArtifactStore`) in `container`, so app services
 * and step classes resolved from it receive them by constructor injection. Works only on the
 * container it is given.
 *
 * @example
 * const c = container.createChildContainer();
 * const tracker = await registerConsist(c, { runDir: './runs' });
 * const svc = c.resolve(ReportService);   // constructor(private readonly tracker: Tracker)
 */
export async function registerConsist(container: DependencyContainer, options: TrackerOptions): Promise<Tracker> {
  const services = await composeServices({ ...options, container }, container);
  const tracker = new Tracker(services);
  container.registerInstance(Tracker, tracker);
  container.registerInstance(ArtifactStore, services.artifacts);
  container.registerInstance(ViewFactory, services.dataPlane.views);
  container.registerInstance(Materializer, services.dataPlane.materializer);
  return tracker;
}
