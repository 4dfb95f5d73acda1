import { Parser } from 'pickleparser';

/**
 * Names in a protocol-0 pickled list of strings, as PyTables stores pandas' `values_block_N_kind`
 * and `non_index_axes` attributes (`(lp0\nVage\np1\na.`). Pure text parsing: runs no code. @internal
 */
export function pickledNames(attr: unknown): string[] {
  if (typeof attr !== 'string') return [];
  const out: string[] = [];
  // protocol 0: one-char opcodes; V (unicode), S (quoted str), p/g (memo), I/F/L (numbers) run to a newline
  for (let i = 0; i < attr.length; i++) {
    const op = attr[i];
    if (!'VSpgIFL'.includes(op)) continue;
    const end = attr.indexOf('\n', i + 1);
    if (end === -1) break;
    const arg = attr.slice(i + 1, end);
    if (op === 'V') out.push(unescapeRaw(arg));
    else if (op === 'S') out.push(arg.replace(/^'|'$/g, ''));
    i = end;
  }
  return out;
}

/** Python's raw-unicode-escape (`\uXXXX`) in protocol-0 `V` strings. */
const unescapeRaw = (s: string) => s.replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

/**
 * The strings of a numpy object array pickled by pandas for a `fixed` store's object block (a VLArray
 * holding one pickle). `pickleparser` only builds plain objects from opcodes; it runs no code. The
 * strings are the list in the reconstructed ndarray's state. @internal
 */
export function pickledObjectArray(bytes: Uint8Array): unknown[] {
  const parsed = new Parser().parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) as unknown;
  const found = findList(parsed, 0);
  return found ?? [];
}

/** The longest array of scalars (strings/numbers/null) inside the parsed pickle: the ndarray's values. */
function findList(v: unknown, depth: number, best?: unknown[]): unknown[] | undefined {
  if (depth > 8 || v === null || typeof v !== 'object') return best;
  const state = v as Record<string, unknown>;
  // numpy's ndarray state tuple: (version, shape, dtype, is_fortran, values)
  if (Array.isArray(state['1']) && Array.isArray(state['4']) && typeof state['3'] === 'boolean') return state['4'] as unknown[];
  if (Array.isArray(v) && v.length > 0 && v.every((x) => x === null || typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean')) {
    return !best || v.length > best.length ? v : best;
  }
  for (const x of Array.isArray(v) ? v : Object.values(v as Record<string, unknown>)) best = findList(x, depth + 1, best);
  return best;
}
