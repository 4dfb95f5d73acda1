import { parseFacetValue } from '../views/facet-predicate';
import { CliError } from './cli-error';

/**
 * `--facet key=value` flags → a `findRuns({ facet })` object. The key is the flattened facet path
 * as written (dots included); the value parses like a predicate's (`true`/`false`, numbers, else text).
 */
export function parseFacetFlags(flags: readonly string[]): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    if (eq <= 0) throw CliError.usage(`--facet must be key=value; got '${flag}'`);
    const { kind, value } = parseFacetValue(flag.slice(eq + 1));
    if (kind === 'null' || value === null) throw CliError.usage(`--facet ${flag}: a facet cannot be matched against null`);
    out[flag.slice(0, eq)] = value;
  }
  return out;
}
