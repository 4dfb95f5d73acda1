/** What a cache hit materializes: nothing, chosen outputs, every output, or missing inputs before a miss executes. */
export type CacheHydration = 'metadata' | 'outputs-requested' | 'outputs-all' | 'inputs-missing';
