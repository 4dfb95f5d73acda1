/** Where a HOCON token starts (`file` relative to the config root). @internal */
export interface HoconPos { file: string; line: number; column: number }

/** A parsed HOCON value, before merging and substitution. @internal */
export type HoconValue =
  | { t: 'scalar'; v: string | number | boolean | null; raw: string; pos: HoconPos }
  | { t: 'ws'; raw: string }
  | { t: 'subst'; path: string[]; optional: boolean; pos: HoconPos; prefix: string[]; self?: boolean }
  | { t: 'obj'; fields: HoconField[]; pos: HoconPos }
  | { t: 'arr'; items: HoconValue[]; pos: HoconPos }
  | { t: 'concat'; parts: HoconValue[]; pos: HoconPos };

/** `a.b = value`, `a += value` (append) or `a { … }`. @internal */
export interface HoconField { path: string[]; value: HoconValue; append: boolean; pos: HoconPos }

/** `include "x.conf"`, `include required(file("x"))`, `include url(…)`. @internal */
export interface HoconInclude { kind: 'file' | 'url' | 'classpath'; target: string; required: boolean; pos: HoconPos }

/** Reads an included file's fields (resolving, checking and parsing it) for the parser. @internal */
export type HoconIncluder = (include: HoconInclude, prefix: readonly string[]) => HoconField[];
