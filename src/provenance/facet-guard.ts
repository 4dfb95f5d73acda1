import type { Logger } from '../util/logger';
import { FACET_LIMITS, flattenFacet } from './facet-flatten';

/**
 * Warns once when a facet exceeds {@link FACET_LIMITS}: it is kept whole in the snapshot (and the
 * `facet` JSON column) but not indexed, so facet queries and `facet_<key>` columns will not see it.
 */
export function warnIfFacetUnindexed(facet: Record<string, unknown> | null | undefined, what: string, logger: Logger): void {
  if (!facet) return;
  const flat = flattenFacet(facet);
  if (flat.indexed) return;
  const why = flat.reason === 'too_many_keys' ? `more than ${FACET_LIMITS.maxKeys} keys` : `more than ${FACET_LIMITS.maxJsonBytes} bytes of JSON`;
  logger.warn(`The facet of ${what} has ${why}: it is stored in the snapshot but not indexed, so facet queries will not find it. ` +
    'Keep facets to the few keys you filter on; put the rest in meta or config.');
}
