import { statPaths } from '../artifacts/file-kind';
import * as path from 'node:path';
import type { ArtifactStore } from '../artifacts/artifact-store';
import { ArtifactError, ConfigurationError, CouplerKeyMissingError, InputNotFoundError } from '../errors';
import type { StepDefinition } from '../metadata/compile-step';
import type { Artifact } from '../model';
import type { InputRef } from './run-step-options';

/** Where `@Input` keys not given explicitly are looked up (a scenario's coupler). */
export interface InputSource {
  get(key: string): Artifact | undefined;
  keys(): string[];
}

/** One input of a run, resolved to an artifact record. */
export interface ResolvedInput { key: string; artifact: Artifact }

/**
 * Resolves explicit inputs, coupler inputs and `dependsOn` files into artifacts. Every missing
 * file is an `InputNotFoundError` here, before anything is recorded or executed.
 */
export class InputResolver {
  constructor(private readonly artifacts: ArtifactStore) {}

  async resolve(def: StepDefinition, explicit: Record<string, InputRef>, source?: InputSource, dependsOn: readonly string[] = []): Promise<ResolvedInput[]> {
    const resolved = new Map<string, ResolvedInput>();
    const files: Array<{ key: string; ref: string }> = [];
    for (const [key, ref] of Object.entries(explicit)) {
      if (typeof ref === 'string') files.push({ key, ref });
      else resolved.set(key, { key, artifact: this.artifacts.withPath(ref) });
    }
    for (const p of def.params) {
      if (p.kind !== 'input' || resolved.has(p.key) || files.some((f) => f.key === p.key)) continue;
      const found = source?.get(p.key);
      if (found) resolved.set(p.key, { key: p.key, artifact: found });
      else if (!p.optional) {
        if (source) throw new CouplerKeyMissingError(p.key, source.keys());
        throw ConfigurationError.invalidOption(`inputs.${p.key}`, undefined, `a path, URI or Artifact for @Input('${p.key}') of ${def.name}`);
      }
    }
    const taken = new Set([...resolved.keys(), ...files.map((f) => f.key)]);
    for (const [i, file] of dependsOn.entries()) {
      const key = dependsOnKey(file, i, taken);
      taken.add(key);
      files.push({ key, ref: file });
    }
    for (const [i, artifact] of (await this.describeFiles(files)).entries()) resolved.set(files[i].key, { key: files[i].key, artifact });
    return [...resolved.values()];
  }

  /** The files a model config was read from, as artifacts keyed `config:<folder>/<file>` (lineage only, not hashed into the signature). */
  async describeConfigFiles(files: readonly string[], names: readonly string[]): Promise<ResolvedInput[]> {
    const refs = files.map((ref, i) => ({ key: `config:${names[i].replace(/[^A-Za-z0-9_./-]/g, '_')}`, ref }));
    return (await this.describeFiles(refs)).map((artifact, i) => ({ key: refs[i].key, artifact }));
  }

  /** Checks every file exists (`INPUT_NOT_FOUND` names the first missing one), then describes them in one batch. */
  private async describeFiles(files: ReadonlyArray<{ key: string; ref: string }>): Promise<Artifact[]> {
    const abs = files.map(({ ref }) => this.artifacts.uris.toPath(ref));
    const stats = await statPaths(abs);
    const missing = stats.indexOf(undefined);
    if (missing >= 0) {
      const { key, ref } = files[missing];
      throw new InputNotFoundError(key, ref === abs[missing] ? abs[missing] : `${ref} (${abs[missing]})`);
    }
    try {
      return await this.artifacts.describeInputs(files.map((f, i) => ({ ...f, stat: stats[i] })));
    } catch (err) {
      if (err instanceof ArtifactError && err.code === 'ARTIFACT_NOT_FOUND') {
        throw new InputNotFoundError(String(err.details.ref ?? ''), String(err.details.ref ?? ''));
      }
      throw err;
    }
  }
}

function dependsOnKey(file: string, index: number, taken: Set<string>): string {
  const base = `dependsOn:${path.basename(file).replace(/[^A-Za-z0-9_.-]/g, '_').replace(/\.{2,}/g, '_')}`;
  return taken.has(base) ? `${base}:${index}` : base;
}
