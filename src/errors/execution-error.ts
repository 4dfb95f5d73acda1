import { ConsistError } from './consist-error';

/** Codes of {@link ExecutionError}. */
export type ExecutionErrorCode =
  | 'CONTAINER_BACKEND_UNAVAILABLE'
  | 'CONTAINER_IMAGE_NOT_FOUND'
  | 'COMMAND_NOT_FOUND'
  | 'COMMAND_FAILED'
  | 'CAPTURE_COLLISION';

/** An external command, container or output capture failed. */
export class ExecutionError extends ConsistError<ExecutionErrorCode> {
  constructor(readonly code: ExecutionErrorCode, message: string, opts: { details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, opts);
  }
}

/** A container backend binary or image is unavailable. */
export class ContainerBackendError extends ExecutionError {}
