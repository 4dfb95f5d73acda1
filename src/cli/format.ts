import { createColors } from 'picocolors';

/** Colour functions, on only when stdout is a terminal (and `NO_COLOR` is unset). */
export const colors = createColors(Boolean(process.stdout.isTTY) && !process.env.NO_COLOR);

/** One column of {@link formatTable}. */
export interface Column<T> {
  header: string;
  value: (row: T) => unknown;
  align?: 'left' | 'right';
  /** Longer cells are cut with '…'. Default 60. */
  maxWidth?: number;
  /** Colours a (padded) cell; must not change its visible width. */
  paint?: (text: string, row: T) => string;
}

const ANSI = /\x1b\[[0-9;]*m/g;

/** Visible width of a string (ANSI colour codes ignored). */
export const visibleWidth = (s: string): number => s.replace(ANSI, '').length;

/** A value as a table cell: `-` for null, ISO dates, JSON for objects, one line. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '-';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return toJson(value, 0);
  return String(value).replace(/\s*\n\s*/g, ' ');
}

const truncate = (s: string, max: number): string => (s.length > max ? `${s.slice(0, Math.max(1, max - 1))}…` : s);

/** Rows as aligned columns with a bold header; no borders, easy to grep. */
export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((row) => columns.map((c) => truncate(cellText(c.value(row)), c.maxWidth ?? 60)));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => r[i].length)));
  const pad = (text: string, i: number) =>
    columns[i].align === 'right' ? text.padStart(widths[i]) : text.padEnd(widths[i]);
  const lines = [columns.map((c, i) => colors.bold(pad(c.header, i))).join('  ').trimEnd()];
  cells.forEach((r, ri) => {
    lines.push(r.map((text, i) => {
      const paint = columns[i].paint;
      return paint ? paint(pad(text, i), rows[ri]) : pad(text, i);
    }).join('  ').trimEnd());
  });
  return lines.join('\n');
}

/** `label  value` lines with the labels aligned. */
export function formatFields(fields: ReadonlyArray<[string, unknown]>, indent = ''): string {
  const width = Math.max(0, ...fields.map(([k]) => k.length));
  return fields.map(([k, v]) => `${indent}${colors.dim(k.padEnd(width))}  ${cellText(v)}`).join('\n');
}

/** JSON that survives DuckDB values: `bigint` → number (or string when unsafe), `Date` → ISO. */
export function toJson(value: unknown, space = 2): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
    return v;
  }, space);
}

/** Rows as RFC 4180 CSV, columns from the first row. */
export function toCsv(rows: readonly Record<string, unknown>[]): string {
  if (rows.length === 0) return '';
  const headers = Object.keys(rows[0]);
  const quote = (v: unknown): string => {
    const s = v === null || v === undefined ? '' : v instanceof Date ? v.toISOString()
      : typeof v === 'object' ? toJson(v, 0) : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [headers.map(quote).join(','), ...rows.map((r) => headers.map((h) => quote(r[h])).join(','))].join('\n');
}

/** Colours a run status. */
export function paintStatus(status: string): string {
  if (status.trim() === 'completed') return colors.green(status);
  if (status.trim() === 'failed') return colors.red(status);
  return colors.yellow(status);
}

/** Writes one block of output to stdout, ending with a newline. */
export function print(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Short duration: `850 ms`, `12.3 s`, `4 m 05 s`. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '-';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} m ${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')} s`;
}

/** `1.2 MB`-style sizes. */
export function formatBytes(n: number | null): string {
  if (n === null) return '-';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${units[u]}`;
}

/** Nested objects and arrays as indented `key: value` / `- item` lines (for explanations and reports). */
export function formatNested(value: unknown, indent = ''): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return `${indent}(none)`;
    return value.map((v) => (isBranch(v) ? `${indent}-\n${formatNested(v, `${indent}  `)}` : `${indent}- ${cellText(v)}`)).join('\n');
  }
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.entries(value).map(([k, v]) =>
      (isBranch(v) ? `${indent}${colors.dim(k)}:\n${formatNested(v, `${indent}  `)}` : `${indent}${colors.dim(k)}: ${cellText(v)}`)).join('\n');
  }
  return `${indent}${cellText(value)}`;
}

const isBranch = (v: unknown): boolean =>
  (Array.isArray(v) && v.length > 0) || (typeof v === 'object' && v !== null && !(v instanceof Date) && !Array.isArray(v) && Object.keys(v).length > 0);
