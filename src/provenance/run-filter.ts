import type { RunStatus } from '../model';

/** Filters of `RunRepository.find`. Every given field must match. */
export interface RunFilter {
  id?: string;
  name?: string;
  model?: string;
  status?: RunStatus;
  parentId?: string | null;
  year?: number;
  iteration?: number;
  kind?: string;
  signature?: string;
  /** Only cache hits (`true`) or only runs that executed (`false`). */
  cacheHit?: boolean;
  /** Every listed tag must be present (exact match). */
  tags?: readonly string[];
  /** Facet values that must all match (flattened key → value). */
  facet?: Record<string, string | number | boolean>;
  /** Namespace the `facet` values must be recorded under (a run's facet: its model); alone: runs with an indexed facet in it. Default any. */
  namespace?: string;
  limit?: number;
}
