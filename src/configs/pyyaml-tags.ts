import type { ScalarTag, Tags } from 'yaml';

/*
 * PyYAML's (YAML 1.1) implicit resolvers for bool, int and float, which differ from the `yaml`
 * package's 1.1 schema: PyYAML reads `y`/`n` as strings, needs a dot in a float (`1e3` stays a
 * string) and a signed exponent, and reads `09` as a string. Big ints stay exact (bigint).
 */

const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const FLOAT = /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

function sexagesimal(body: string): number {
  return body.split(':').reduce((acc, part) => acc * 60 + Number(part), 0);
}

function resolveInt(source: string): number | bigint {
  const sign = source.startsWith('-') ? -1n : 1n;
  const body = source.replace(/^[-+]/, '').replace(/_/g, '');
  if (body.includes(':')) return Number(sign) * sexagesimal(body);
  let big: bigint;
  if (body.startsWith('0b')) big = BigInt(body);
  else if (body.startsWith('0x')) big = BigInt(body);
  else if (body.length > 1 && body.startsWith('0')) big = BigInt(`0o${body.slice(1)}`);
  else big = BigInt(body);
  big *= sign;
  return big <= BigInt(Number.MAX_SAFE_INTEGER) && big >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(big) : big;
}

function resolveFloat(source: string): number {
  const body = source.replace(/_/g, '');
  const lower = body.toLowerCase();
  if (lower.endsWith('.inf')) return lower.startsWith('-') ? -Infinity : Infinity;
  if (lower === '.nan') return NaN;
  if (body.includes(':')) {
    const sign = body.startsWith('-') ? -1 : 1;
    return sign * sexagesimal(body.replace(/^[-+]/, ''));
  }
  return Number(body);
}

/** Tags that replace the `yaml` 1.1 schema's bool/int/float (and its sexagesimal timestamps). @internal */
export const PYYAML_TAGS: ScalarTag[] = [
  { tag: 'tag:yaml.org,2002:bool', default: true, test: BOOL, resolve: (s: string) => /^(?:yes|true|on)$/i.test(s), identify: (v) => typeof v === 'boolean' },
  { tag: 'tag:yaml.org,2002:int', default: true, test: INT, resolve: resolveInt, identify: (v) => typeof v === 'bigint' || Number.isInteger(v) },
  { tag: 'tag:yaml.org,2002:float', default: true, test: FLOAT, resolve: resolveFloat, identify: (v) => typeof v === 'number' },
];

const REPLACED = new Set(['tag:yaml.org,2002:bool', 'tag:yaml.org,2002:int', 'tag:yaml.org,2002:float']);

/** `customTags` for `yaml`: the 1.1 schema with PyYAML's resolvers. @internal */
export function pyyamlTags(tags: Tags): Tags {
  const kept = tags.filter((t) => typeof t === 'string' || !REPLACED.has(t.tag));
  return [...kept, ...PYYAML_TAGS];
}
