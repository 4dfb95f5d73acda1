import { ModelConfigError } from '../errors';
import type { HoconField, HoconIncluder, HoconPos, HoconValue } from './hocon-ast';

const FORBIDDEN = new Set([...'$"{}[]:=,+#`^?!@*&\\']);
const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$/;
const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\uFEFF' || c === '\u00A0';

/**
 * A HOCON parser (the subset BEAM and Typesafe-config files use): objects with or without root
 * braces, `=`/`:`/`+=`, dotted and quoted keys, arrays, `"…"`/`"""…"""`/unquoted strings, numbers,
 * booleans, null, `//`/`#` comments, value concatenation, `${a.b}`/`${?a}` substitutions and
 * `include` (files through `includer`). Every value keeps its file, line and column.
 * @internal
 */
export class HoconParser {
  private i = 0;
  private line = 1;
  private col = 1;

  constructor(private readonly text: string, private readonly file: string, private readonly filePrefix: string[], private readonly includer: HoconIncluder) {}

  /** Parses the whole file into its root object's fields. */
  parse(): HoconField[] {
    this.skip(true);
    let fields: HoconField[];
    if (this.peek() === '{') {
      this.next();
      fields = this.fields('}', this.filePrefix);
      this.expect('}');
    } else {
      fields = this.fields('', this.filePrefix);
    }
    this.skip(true);
    if (this.i < this.text.length) this.fail(`unexpected '${this.peek()}' after the end of the root object`);
    return fields;
  }

  private pos(): HoconPos { return { file: this.file, line: this.line, column: this.col }; }
  private peek(n = 0): string { return this.text[this.i + n] ?? ''; }
  private startsWith(s: string): boolean { return this.text.startsWith(s, this.i); }
  private next(): string {
    const c = this.text[this.i++];
    if (c === '\n') { this.line++; this.col = 1; } else this.col++;
    return c;
  }
  private fail(reason: string): never { throw ModelConfigError.syntax(this.pos(), `invalid HOCON: ${reason}`); }
  private expect(c: string): void { if (this.peek() !== c) this.fail(`expected '${c}'${this.peek() ? ` but found '${this.peek()}'` : ' before the end of the file'}`); this.next(); }

  /** Skips spaces and comments; with `newlines`, newlines and commas too. */
  private skip(newlines: boolean): void {
    for (;;) {
      const c = this.peek();
      if (isSpace(c) || (newlines && (c === '\n' || c === ','))) this.next();
      else if (c === '#' || this.startsWith('//')) { while (this.i < this.text.length && this.peek() !== '\n') this.next(); }
      else return;
    }
  }

  private fields(close: string, prefix: string[]): HoconField[] {
    const out: HoconField[] = [];
    for (;;) {
      this.skip(true);
      if (this.i >= this.text.length || this.peek() === close) return out;
      if (this.startsWith('include') && /[\s"]/.test(this.peek(7)) && this.isIncludeAhead()) {
        out.push(...this.include(prefix));
        continue;
      }
      const pos = this.pos();
      const path = this.key();
      this.skip(false);
      let append = false;
      if (this.peek() === '{') { /* `a { … }` */ } else if (this.startsWith('+=')) { this.next(); this.next(); append = true; } else if (this.peek() === '=' || this.peek() === ':') this.next();
      else this.fail(`expected '=', ':' or '{' after key '${path.join('.')}'`);
      this.skip(false);
      const value = this.value([...prefix, ...path]);
      if (!value) this.fail(`key '${path.join('.')}' has no value`);
      out.push({ path, value, append, pos });
      this.skip(false);
      const c = this.peek();
      if (c && c !== '\n' && c !== ',' && c !== close) this.fail(`unexpected '${c}' after the value of '${path.join('.')}'`);
    }
  }

  private isIncludeAhead(): boolean {
    const rest = this.text.slice(this.i + 7, this.i + 40).trimStart();
    return rest.startsWith('"') || /^(?:required|file|url|classpath)\s*\(/.test(rest);
  }

  private include(prefix: string[]): HoconField[] {
    const pos = this.pos();
    for (let k = 0; k < 7; k++) this.next();
    this.skip(false);
    let required = false;
    let kind: 'file' | 'url' | 'classpath' = 'file';
    let close = 0;
    if (this.startsWith('required')) { this.word('required'); required = true; close++; }
    for (const w of ['file', 'url', 'classpath'] as const) if (this.startsWith(w)) { this.word(w); kind = w; close++; break; }
    if (this.peek() !== '"') this.fail('include expects a quoted file name');
    const target = String(this.quoted().v);
    for (; close > 0; close--) { this.skip(false); this.expect(')'); }
    return this.includer({ kind, target, required, pos }, prefix);
  }

  private word(w: string): void {
    for (let k = 0; k < w.length; k++) this.next();
    this.skip(false);
    this.expect('(');
    this.skip(false);
  }

  private key(): string[] {
    const path: string[] = [];
    let current = '';
    let started = false;
    for (;;) {
      const c = this.peek();
      if (c === '"') { current += String(this.quoted().v); started = true; }
      else if (c === '.') { if (!started) this.fail('empty key segment'); path.push(current); current = ''; started = false; this.next(); }
      else if (c && !FORBIDDEN.has(c) && !isSpace(c) && c !== '\n' && !this.startsWith('//')) { current += this.next(); started = true; }
      else break;
    }
    if (!started) this.fail(this.peek() ? `expected a key but found '${this.peek()}'` : 'expected a key');
    path.push(current);
    return path;
  }

  /** A value with its concatenation, up to the end of the line, a comma or a closing bracket. */
  private value(path: string[]): HoconValue | undefined {
    const parts: HoconValue[] = [];
    const pos = this.pos();
    for (;;) {
      const c = this.peek();
      if (!c || c === '\n' || c === ',' || c === '}' || c === ']' || c === '#' || this.startsWith('//')) break;
      if (isSpace(c)) { let raw = ''; while (isSpace(this.peek())) raw += this.next(); parts.push({ t: 'ws', raw }); continue; }
      parts.push(this.single(path));
    }
    while (parts.length && parts[parts.length - 1].t === 'ws') parts.pop();
    if (parts.length <= 1) return parts[0];
    return { t: 'concat', parts, pos };
  }

  private single(path: string[]): HoconValue {
    const pos = this.pos();
    const c = this.peek();
    if (c === '{') { this.next(); const fields = this.fields('}', path); this.expect('}'); return { t: 'obj', fields, pos }; }
    if (c === '[') return this.array(path, pos);
    if (c === '"') return this.quoted();
    if (this.startsWith('${')) return this.substitution(pos);
    if (c === '|') throw ModelConfigError.codeDirective(pos, `the '|' transform directive (e.g. '| eval')`);
    let raw = '';
    while (this.peek() && !FORBIDDEN.has(this.peek()) && !isSpace(this.peek()) && this.peek() !== '\n' && !this.startsWith('//')) raw += this.next();
    if (!raw) this.fail(`unexpected '${c}'`);
    const v = raw === 'true' ? true : raw === 'false' ? false : raw === 'null' ? null : NUMBER.test(raw) ? Number(raw) : raw;
    return { t: 'scalar', v, raw, pos };
  }

  private array(path: string[], pos: HoconPos): HoconValue {
    this.next();
    const items: HoconValue[] = [];
    for (;;) {
      this.skip(true);
      if (this.peek() === ']') { this.next(); return { t: 'arr', items, pos }; }
      if (!this.peek()) this.fail('unterminated list');
      const item = this.value(path);
      if (!item) this.fail(`unexpected '${this.peek()}' in a list`);
      items.push(item);
    }
  }

  private quoted(): HoconValue & { t: 'scalar' } {
    const pos = this.pos();
    if (this.startsWith('"""')) {
      for (let k = 0; k < 3; k++) this.next();
      const end = this.text.indexOf('"""', this.i);
      if (end < 0) this.fail('unterminated """ string');
      let s = '';
      while (this.i < end) s += this.next();
      while (this.peek() === '"' && this.startsWith('""""')) s += this.next();
      for (let k = 0; k < 3; k++) this.next();
      return { t: 'scalar', v: s, raw: s, pos };
    }
    const start = this.i;
    this.next();
    while (this.peek() !== '"') {
      if (!this.peek() || this.peek() === '\n') this.fail('unterminated string');
      if (this.next() === '\\') this.next();
    }
    this.next();
    let v: string;
    try { v = JSON.parse(this.text.slice(start, this.i)) as string; } catch { this.fail('invalid escape in a string'); }
    return { t: 'scalar', v, raw: v, pos };
  }

  private substitution(pos: HoconPos): HoconValue {
    this.next(); this.next();
    const optional = this.peek() === '?';
    if (optional) this.next();
    this.skip(false);
    const path = this.key();
    this.skip(false);
    this.expect('}');
    return { t: 'subst', path, optional, pos, prefix: this.filePrefix };
  }
}
