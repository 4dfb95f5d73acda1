import type { TrackerServices } from '../di/tracker-services';
import { classInvoker } from '../runtime/step-invoker';
import type { MapDeps } from '../sweeps/map-service';

/** What `tracker.map` uses of the tracker's services. @internal */
export function mapDeps(s: TrackerServices): MapDeps {
  return {
    runner: s.stepRunner, recorder: s.recorder, snapshots: s.snapshots, artifacts: s.artifacts, queries: s.queries, settings: s.options, lockMode: s.db.lockMode, logger: s.logger,
    invoker: (def) => classInvoker(def, s.container, s.loader),
  };
}
