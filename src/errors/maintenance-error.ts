import { ConsistError } from './consist-error';

/** Codes of {@link MaintenanceError}. */
export type MaintenanceErrorCode = 'MAINTENANCE_UNSAFE_PATH' | 'MAINTENANCE_RUN_ACTIVE' | 'MAINTENANCE_NOT_FOUND';

/** A database maintenance operation (`consist db …`) refused to act or found nothing to act on. */
export class MaintenanceError extends ConsistError<MaintenanceErrorCode> {
  constructor(readonly code: MaintenanceErrorCode, message: string, details?: Record<string, unknown>) {
    super(message, { details });
  }

  /** A path that purge would delete resolves outside the runs folder (e.g. through a symlink). */
  static unsafePath(target: string, runDir: string): MaintenanceError {
    return new MaintenanceError('MAINTENANCE_UNSAFE_PATH',
      `Refusing to delete '${target}': it is not inside the runs folder '${runDir}'. ` +
        'Remove it by hand if that is really intended.', { target, runDir });
  }

  /** The run is still running in a live process on this host. */
  static runActive(runId: string, pid: number): MaintenanceError {
    return new MaintenanceError('MAINTENANCE_RUN_ACTIVE',
      `Run '${runId}' is still running (pid ${pid} is alive on this host). Wait for it to finish, or stop that process first.`,
      { runId, pid });
  }

  /** The file a maintenance operation needs does not exist. */
  static notFound(what: string, where: string): MaintenanceError {
    return new MaintenanceError('MAINTENANCE_NOT_FOUND', `${what} '${where}' does not exist.`, { what, where });
  }
}
