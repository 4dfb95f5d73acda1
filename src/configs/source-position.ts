import type { JsonValue } from '../identity/canonical';

/** Where one key of a resolved model config was set. */
export interface SourcePosition {
  /** The file, relative to the folder above the config root (`configs/settings.yaml`); `(override)` for `withOverrides`. */
  file: string;
  /** 1-based line of the key; absent for whole files hashed by content (CSV specs). */
  line?: number;
  /** The key's path inside its file (`households_sample_size`, `beam.agentsim.agents`). */
  key: string;
  /** True when the value comes from `withOverrides`. */
  override?: boolean;
}

/** Resolved config path (as `diffConfigPaths` prints it) → where it was set. */
export type PositionMap = Map<string, SourcePosition>;

/** A model config after reading every file, applying inheritance/includes/substitutions and overrides. */
export interface ResolvedModelConfig {
  kind: 'activitysim' | 'beam';
  /** The canonical config the step sees and the cache hashes key by key. */
  value: { [key: string]: JsonValue };
  positions: PositionMap;
  /** Absolute paths of every file read, recorded as inputs of the run. */
  files: string[];
  /** Display names of `files`, in the same order. */
  fileNames: string[];
  /** Applied overrides: resolved path → value. */
  overrides: Record<string, JsonValue>;
}

const LAST_SEGMENT = /(?:\.[A-Za-z_$][A-Za-z0-9_$]*|\[\d+\]|\["(?:[^"\\]|\\.)*"\])$/;

/** The path one level up (`a.b[2]` → `a.b`, `a` → `''`). */
export function parentPath(path: string): string {
  const m = LAST_SEGMENT.exec(path);
  return m ? path.slice(0, m.index) : '';
}

/** Where `path` (or its nearest recorded ancestor) was set. */
export function positionOf(positions: PositionMap, path: string): SourcePosition | undefined {
  for (let p = path; p !== ''; p = parentPath(p)) {
    const found = positions.get(p);
    if (found) return found;
  }
  return undefined;
}
